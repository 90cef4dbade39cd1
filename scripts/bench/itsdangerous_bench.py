#!/usr/bin/python3
"""Times Python itsdangerous' URLSafeTimedSerializer dumps/loads on the benchmark payloads.

Usage: /usr/bin/python3 itsdangerous_bench.py PAYLOADS.json OUT.json [--quick]

PAYLOADS.json is written by `java -cp benchmarks.jar dev.chirp.sessions.benchmarks.Payloads`: the same
values the JMH benchmarks use, plus tokens the Java serializer signed. Before timing, this script checks
that it reads every Java token back to the same value, so the comparison is between two implementations
of one format. Results are nanoseconds per operation (median of the repeats) as JSON.
"""
import json
import platform
import statistics
import sys
import timeit

import itsdangerous
from itsdangerous import URLSafeTimedSerializer

MAX_AGE = 86400


def per_op_ns(fn, repeats):
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()  # enough calls for >= 0.2 s per repeat
    runs = [t / number * 1e9 for t in timer.repeat(repeat=repeats, number=number)]
    return {"median_ns": statistics.median(runs), "min_ns": min(runs), "calls_per_repeat": number,
            "repeats": repeats}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    quick = "--quick" in argv[3:]
    repeats = 2 if quick else 5
    with open(argv[1], encoding="utf-8") as f:
        data = json.load(f)
    serializer = URLSafeTimedSerializer(data["secret"])

    results = {}
    for name, payload in data["payloads"].items():
        from_java = serializer.loads(data["tokens"][name], max_age=MAX_AGE)
        if from_java != payload:
            sys.exit(f"itsdangerous read the Java token for {name} as a different value")
        token = serializer.dumps(payload)
        results[name] = {
            "token_chars": len(token),
            "dumps": per_op_ns(lambda: serializer.dumps(payload), repeats),
            "loads": per_op_ns(lambda: serializer.loads(token, max_age=MAX_AGE), repeats),
        }
        print(f"itsdangerous {name}: dumps {results[name]['dumps']['median_ns']:.0f} ns, "
              f"loads {results[name]['loads']['median_ns']:.0f} ns", file=sys.stderr)

    out = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "itsdangerous": getattr(itsdangerous, "__version__", "unknown"),
        "results": results,
    }
    with open(argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)


if __name__ == "__main__":
    main(sys.argv)
