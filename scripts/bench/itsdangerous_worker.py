#!/usr/bin/python3
"""The Python half of the interleaved benchmark: times itsdangerous in slices the Java side asks for.

Usage (started by dev.chirp.sessions.benchmarks.Interleaved, never by hand):
    /usr/bin/python3 itsdangerous_worker.py PAYLOADS.json

PAYLOADS.json holds the secret, the payloads and the tokens the Java library signed. Before answering
any request the worker checks that itsdangerous reads every Java token back to the same value, and it
sends its own tokens so the Java side can check the reverse. Then it reads one request per line on
stdin, "OP NAME MILLIS", runs OP on payload NAME until MILLIS of this thread's CPU time have passed,
and answers "CALLS NANOS" on stdout. OP is dumps, loads or cycle (loads, change one key, dumps: a
request that writes its session), each in two forms:

  *-default  itsdangerous as it behaves by default: dumps tries zlib (level 6) on every payload, loads
             and cycle start from the token itsdangerous itself wrote;
  *-same     the same work as chirp-sessions: dumps compresses only from 384 bytes of JSON, at level 1,
             kept when it saves 2 bytes (TimedSerializer's rule), so it writes the same token the Java
             library writes; loads and cycle start from the Java token.

The worker checks at start that the same-work serializer writes exactly the Java token's payload for
every session (the signature differs only by the signing time).

Python's allocator is set by the parent through the environment (MALLOC_TRIM_THRESHOLD_,
MALLOC_TOP_PAD_, MALLOC_MMAP_THRESHOLD_) so glibc does not hand zlib's buffers back to the kernel
between calls; the worker reports what it got.
"""
import json
import os
import platform
import sys
import time
import zlib

import itsdangerous
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer

MAX_AGE = 86400
# chirp-sessions' TimedSerializer.COMPRESSION_THRESHOLD_BYTES and Deflater.BEST_SPEED.
COMPRESSION_THRESHOLD_BYTES = 384
COMPRESSION_LEVEL = 1


class SameWorkSerializer(URLSafeTimedSerializer):
    """itsdangerous doing chirp-sessions' work: no zlib under 384 bytes of JSON, level 1 from there."""

    def dump_payload(self, obj):
        # Serializer.dump_payload: the compact JSON, skipping URLSafeSerializerMixin's zlib step.
        json_bytes = Serializer.dump_payload(self, obj)
        if len(json_bytes) >= COMPRESSION_THRESHOLD_BYTES:
            compressed = zlib.compress(json_bytes, COMPRESSION_LEVEL)
            if len(compressed) < len(json_bytes) - 1:
                return b"." + base64_encode(compressed)
        return base64_encode(json_bytes)


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        data = json.load(f)
    serializer = URLSafeTimedSerializer(data["secret"])
    same = SameWorkSerializer(data["secret"])
    payloads = data["payloads"]
    tokens = data["tokens"]
    own = {}
    for name, payload in payloads.items():
        if serializer.loads(tokens[name], max_age=MAX_AGE) != payload:
            sys.exit(f"itsdangerous read the Java token for {name} as a different value")
        own[name] = serializer.dumps(payload)
        java_payload = tokens[name].rsplit(".", 2)[0]
        if same.dumps(payload).rsplit(".", 2)[0] != java_payload:
            # zlib builds may differ in their level-1 output; the work is the same if the decision is.
            if not (java_payload.startswith(".") and same.dumps(payload).startswith(".")):
                sys.exit(f"the same-work serializer does not write the Java token's payload for {name}")

    def dumps(chosen):
        return lambda name: (lambda payload: lambda: chosen.dumps(payload))(payloads[name])

    def loads(chosen, source):
        def make(name):
            token = source[name]
            return lambda: chosen.loads(token, max_age=MAX_AGE)
        return make

    def cycle(chosen, source):
        def make(name):
            token = source[name]

            def run():
                session = chosen.loads(token, max_age=MAX_AGE)
                session["counter"] = session.get("counter", 0) + 1
                return chosen.dumps(session)
            return run
        return make

    ops = {"dumps-default": dumps(serializer), "loads-default": loads(serializer, own),
           "cycle-default": cycle(serializer, own),
           "dumps-same": dumps(same), "loads-same": loads(same, tokens), "cycle-same": cycle(same, tokens)}
    hello = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "itsdangerous": getattr(itsdangerous, "__version__", "unknown"),
        "malloc": {k: os.environ.get(k) for k in
                   ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_ARENA_MAX")},
        "tokens": own,
    }
    out = sys.stdout
    out.write(json.dumps(hello) + "\n")
    out.flush()
    clock = time.thread_time_ns
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        fn = ops[parts[0]](parts[1])
        budget = int(parts[2]) * 1_000_000
        calls = 0
        start = clock()
        elapsed = 0
        while elapsed < budget:
            for _ in range(8):
                fn()
            calls += 8
            elapsed = clock() - start
        out.write(f"{calls} {elapsed}\n")
        out.flush()


if __name__ == "__main__":
    main(sys.argv)
