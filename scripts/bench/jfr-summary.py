#!/usr/bin/python3
"""Summarises a JFR recording of a JMH benchmark: where CPU samples and allocated bytes go.

Usage: /usr/bin/python3 jfr-summary.py RECORDING.jfr [TOP]
CPU: share of execution samples whose stack contains each method (inclusive), counting only samples
from the benchmark thread. Allocation: sampled bytes (jdk.ObjectAllocationSample weight) by the first
frame inside dev.chirp.sessions (where our code asked for the memory) and by allocated class.
Used with scripts/bench/profile.sh; see /work/notes or docs/benchmarks.md for findings.
"""
import collections
import json
import shutil
import subprocess
import sys


def frames(event):
    stack = event.get("values", {}).get("stackTrace") or {}
    out = []
    for f in stack.get("frames", []):
        m = f["method"]
        out.append(m["type"]["name"] + "." + m["name"] + ":" + str(f.get("lineNumber", "?")))
    return out


def method_of(frame):
    return frame.rsplit(":", 1)[0]


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    top = int(argv[2]) if len(argv) > 2 else 25
    jfr = shutil.which("jfr") or "jfr"
    raw = subprocess.run([jfr, "print", "--json", "--events", "jdk.ExecutionSample,jdk.ObjectAllocationSample",
                          argv[1]], check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]

    inclusive = collections.Counter()
    self_time = collections.Counter()
    samples = 0
    alloc_site = collections.Counter()
    alloc_class = collections.Counter()
    alloc_total = 0
    for e in events:
        fr = frames(e)
        if not any("jmh_generated" in f for f in fr):
            continue  # JMH's own threads, the JIT, GC
        if e["type"] == "jdk.ExecutionSample":
            samples += 1
            self_time[method_of(fr[0])] += 1
            for m in set(method_of(f) for f in fr if "jmh_generated" not in f and "benchmarks." not in f):
                inclusive[m] += 1
        else:
            weight = e["values"].get("weight", 0)
            alloc_total += weight
            site = next((f for f in fr if f.startswith("dev.chirp.sessions.") and ".benchmarks." not in f),
                        fr[0] if fr else "?")
            alloc_site[site] += weight
            cls = (e["values"].get("objectClass") or {}).get("name", "?")
            alloc_class[cls] += weight

    print(f"CPU: {samples} samples of the benchmark thread")
    print("  inclusive  self  method")
    for m, n in inclusive.most_common(top):
        print(f"  {n / samples:8.1%} {self_time[m] / samples:6.1%}  {m}")
    print(f"\nAllocation: {alloc_total / 1e6:.1f} MB sampled; by first dev.chirp.sessions frame")
    for s, n in alloc_site.most_common(top):
        print(f"  {n / alloc_total:6.1%}  {s}")
    print("\nby class")
    for c, n in alloc_class.most_common(12):
        print(f"  {n / alloc_total:6.1%}  {c}")


if __name__ == "__main__":
    main(sys.argv)
