#!/usr/bin/python3
"""The Python half of the interleaved benchmark: times itsdangerous in slices the Java side asks for.

Usage (started by dev.chirp.sessions.benchmarks.Interleaved, never by hand):
    /usr/bin/python3 itsdangerous_worker.py PAYLOADS.json

PAYLOADS.json holds the secret, the payloads and the tokens the Java library signed. Before answering
any request the worker checks that itsdangerous reads every Java token back to the same value, and it
sends its own tokens so the Java side can check the reverse. Then it reads one request per line on
stdin, "OP NAME MILLIS", runs OP on payload NAME until MILLIS of this thread's CPU time have passed,
and answers "CALLS NANOS" on stdout. OP is dumps, loads (of the Java token), or cycle (loads, change
one key, dumps: a request that writes its session).

Python's allocator is set by the parent through the environment (MALLOC_TRIM_THRESHOLD_,
MALLOC_TOP_PAD_, MALLOC_MMAP_THRESHOLD_) so glibc does not hand zlib's buffers back to the kernel
between calls; the worker reports what it got.
"""
import json
import os
import platform
import sys
import time

import itsdangerous
from itsdangerous import URLSafeTimedSerializer

MAX_AGE = 86400


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        data = json.load(f)
    serializer = URLSafeTimedSerializer(data["secret"])
    payloads = data["payloads"]
    tokens = data["tokens"]
    own = {}
    for name, payload in payloads.items():
        if serializer.loads(tokens[name], max_age=MAX_AGE) != payload:
            sys.exit(f"itsdangerous read the Java token for {name} as a different value")
        own[name] = serializer.dumps(payload)

    def dumps(name):
        payload = payloads[name]
        return lambda: serializer.dumps(payload)

    def loads(name):
        token = tokens[name]
        return lambda: serializer.loads(token, max_age=MAX_AGE)

    def cycle(name):
        token = tokens[name]

        def run():
            session = serializer.loads(token, max_age=MAX_AGE)
            session["counter"] = session.get("counter", 0) + 1
            return serializer.dumps(session)
        return run

    ops = {"dumps": dumps, "loads": loads, "cycle": cycle}
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
