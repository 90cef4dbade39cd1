#!/usr/bin/python3
"""Checks that the chirp-session jar and Python's itsdangerous read each other's session cookies.

Run through scripts/check-python-reads-java.sh, which finds the jar and a Python with itsdangerous.
Every case goes both ways: the jar encodes and itsdangerous verifies and decodes, and itsdangerous
encodes and the jar decodes. Values are compared strictly: types (True is not 1), key order, exact
floats (by repr, so -0.0 and NaN count), integers of any size. Besides fixed cases (compressed,
non-ASCII, big integers, floats, rotated keys, custom salt, rejections, clock skew) it runs random
sessions from a seed that it prints, so a failure can be replayed with --seed.

Exit code 0 when every check passed, 1 otherwise; the last line is "interop: N passed, M failed".
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

JAVA_OPTS = ["-XX:TieredStopAtLevel=1", "-Xshare:auto"]


class Checks:
    def __init__(self, verbose):
        self.passed = 0
        self.failed = 0
        self.verbose = verbose

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name}: {detail}")


class Jar:
    def __init__(self, path, secret_dir):
        self.path = path
        self.secret_dir = secret_dir

    def run(self, args, secret=None, stdin="", env_extra=None):
        env = {k: v for k, v in os.environ.items() if k != "CHIRP_SESSION_SECRET"}
        if secret is not None:
            env["CHIRP_SESSION_SECRET"] = secret
        env.update(env_extra or {})
        p = subprocess.run(["java", *JAVA_OPTS, "-jar", self.path, *args], input=stdin.encode("utf-8"),
                           capture_output=True, env=env, timeout=60)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def secret_file(self, name, secret):
        path = os.path.join(self.secret_dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(secret + "\n")
        return path


def fixed_time_serializer(secrets, timestamp, salt="itsdangerous"):
    class FixedSigner(TimestampSigner):
        def get_timestamp(self):
            return timestamp

    return URLSafeTimedSerializer(secrets, salt=salt, signer=FixedSigner)


def same(a, b):
    """Strict JSON equality: same types, same key order, floats equal by repr (so -0.0 and NaN compare)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def short(value, limit=160):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


FIXED = {
    "simple": {"user_id": 42, "name": "alice", "admin": False, "note": None},
    "empty": {},
    "key-order": {"zeta": 1, "alpha": 2, "Mid": 3},
    "compressed": {"cart": [{"sku": "WIDGET-001", "qty": 1}] * 80},
    "compressed-non-ascii": {"names": ["Zoë 🍪 Ünïcødé 世界"] * 40},
    "non-ascii": {"greeting": "Grüße, 世界", "emoji": "🍪🚀👩‍👩‍👧", "🔑": "emoji key", "rtl": "שלום"},
    "escapes": {"q": "say \"hi\"", "bs": "C:\\x", "nl": "a\nb\tc", "ctl": "\u0001\u001f", "del": "\u007f",
                "ls": "\u2028", "html": "</script>"},
    "big-integers": {"u64": 2 ** 64 + 1, "neg": -(2 ** 80), "max_long": 2 ** 63 - 1, "min_long": -(2 ** 63),
                     "huge": 10 ** 40},
    "floats": {"tiny": 1e-05, "ts": 1732700000.1234567, "third": 1 / 3, "neg_zero": -0.0, "big": 1e+100,
               "denormal": 5e-324, "whole": 2.0, "max": 1.7976931348623157e+308},
    "nested": {"a": {"b": {"c": [1, [2, [3, {"d": [True, None, "x"]}]]]}}, "l": [[], {}, [[]]]},
}


def random_string(rng):
    pools = [(0x20, 0x7e), (0xa0, 0x24f), (0x370, 0x3ff), (0x400, 0x4ff), (0x4e00, 0x4fff), (0x1f300, 0x1f6ff),
             (0x0, 0x1f), (0x2000, 0x206f)]
    out = []
    for _ in range(rng.randint(0, 12)):
        lo, hi = rng.choice(pools)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def random_number(rng):
    kind = rng.randrange(7)
    if kind == 0:
        return rng.randint(-1000, 1000)
    if kind == 1:
        return rng.choice([2 ** 31 - 1, -(2 ** 31), 2 ** 63 - 1, -(2 ** 63), 2 ** 63, 2 ** 64])
    if kind == 2:
        return rng.randint(-(2 ** 200), 2 ** 200)
    if kind == 3:
        return rng.uniform(-1e6, 1e6)
    if kind == 4:
        return rng.random() * 10 ** rng.randint(-300, 300)
    if kind == 5:
        return float(rng.randint(-10, 10))
    return time.time() + rng.random()


def random_value(rng, depth):
    kind = rng.randrange(8 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind in (2, 3):
        return random_number(rng)
    if kind in (4, 5):
        return random_string(rng)
    if kind == 6:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return random_object(rng, depth + 1)


def random_object(rng, depth=0):
    obj = {}
    for _ in range(rng.randint(0, 6)):
        obj[random_string(rng)] = random_value(rng, depth)
    if depth == 0 and rng.random() < 0.25:
        obj["repeated"] = [random_string(rng)] * rng.randint(20, 60)  # usually makes the cookie compress
    return obj


def round_trip(checks, jar, name, value, secret):
    # Java -> Python
    code, out, err = jar.run(["encode"], secret=secret, stdin=json.dumps(value, ensure_ascii=False))
    token = out.strip()
    if code != 0:
        checks.check(f"{name}: java encode", False, f"exit {code}: {err.strip()}")
    else:
        try:
            loaded = URLSafeTimedSerializer(secret).loads(token, max_age=300)
            checks.check(f"{name}: python reads java's cookie", same(loaded, value),
                         f"sent {short(value)}, python read {short(loaded)}")
        except Exception as e:
            checks.check(f"{name}: python reads java's cookie", False, f"{type(e).__name__}: {e}")
    # Python -> Java
    py_token = URLSafeTimedSerializer(secret).dumps(value)
    code, out, err = jar.run(["decode", py_token], secret=secret)
    if code != 0:
        checks.check(f"{name}: java reads python's cookie", False, f"exit {code}: {err.strip()}")
    else:
        decoded = json.loads(out)
        checks.check(f"{name}: java reads python's cookie", same(decoded, value),
                     f"sent {short(value)}, java printed {short(decoded)}")
    return token, py_token


def expect_rejected(checks, name, result, reason):
    code, out, err = result
    lines = err.strip().splitlines()
    checks.check(f"{name}: java rejects with exit 1 and one line", code == 1 and out == "" and len(lines) == 1
                 and reason in err and "Exception" not in err, f"exit {code}, stdout {out!r}, stderr {err!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", required=True)
    parser.add_argument("--random", type=int, default=20, help="random sessions to try (default 20)")
    parser.add_argument("--seed", type=int, default=None, help="seed for the random sessions (default: new)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 32)
    print(f"interop: jar {args.jar}; random sessions: {args.random}, seed {seed} (replay with --seed {seed})")
    checks = Checks(args.verbose)

    with tempfile.TemporaryDirectory() as tmp:
        jar = Jar(args.jar, tmp)
        code, out, _ = jar.run(["keygen"])
        secret = out.strip()
        checks.check("keygen prints a secret of at least 32 bytes", code == 0 and len(secret) >= 43, out)
        code, out, _ = jar.run(["keygen"])
        old_secret = out.strip()

        tokens = {}
        for name, value in FIXED.items():
            tokens[name] = round_trip(checks, jar, name, value, secret)
        java_token, py_token = tokens["compressed"]
        checks.check("compressed: java's cookie uses the '.' form", java_token.startswith("."), java_token[:20])
        checks.check("compressed: python's cookie uses the '.' form", py_token.startswith("."), py_token[:20])

        rng = random.Random(seed)
        for i in range(args.random):
            round_trip(checks, jar, f"random #{i}", random_object(rng), secret)

        # Key rotation: python signed with the old key, java has it as a fallback (and the other way round).
        session = {"user_id": 7, "rotated": "🔁", "history": ["/cart"] * 50}
        old_file = jar.secret_file("old.txt", old_secret)
        old_token = URLSafeTimedSerializer(old_secret).dumps(session)
        code, out, err = jar.run(["decode", "--fallback-secret-file", old_file, old_token], secret=secret)
        checks.check("rotation: java reads python's cookie signed with the fallback secret",
                     code == 0 and same(json.loads(out or "null"), session) and "fallback secret" in err,
                     f"exit {code}, stderr {err.strip()}")
        expect_rejected(checks, "rotation: without the fallback secret",
                        jar.run(["decode", old_token], secret=secret), "signature does not match")
        code, out, err = jar.run(["encode"], secret=secret, stdin=json.dumps(session))
        try:
            loaded = URLSafeTimedSerializer([old_secret, secret]).loads(out.strip(), max_age=300)
            checks.check("rotation: python with [old, new] keys reads java's cookie", same(loaded, session), loaded)
        except Exception as e:
            checks.check("rotation: python with [old, new] keys reads java's cookie", False, repr(e))
        try:
            URLSafeTimedSerializer(old_secret).loads(out.strip())
            checks.check("rotation: java signs with the current secret, not the old one", False, "old key verified")
        except Exception:
            checks.check("rotation: java signs with the current secret, not the old one", True)

        # --secret-file instead of the environment, and a custom salt, both ways.
        secret_file = jar.secret_file("current.txt", secret)
        code, out, err = jar.run(["encode", "--secret-file", secret_file, "--salt", "chirp.session"],
                                 stdin='{"salted": true}')
        try:
            loaded = URLSafeTimedSerializer(secret, salt="chirp.session").loads(out.strip())
            checks.check("salt: python reads java's salted cookie", loaded == {"salted": True}, loaded)
        except Exception as e:
            checks.check("salt: python reads java's salted cookie", False, f"{e!r} {err}")
        salted = URLSafeTimedSerializer(secret, salt="chirp.session").dumps({"salted": "yes"})
        code, out, err = jar.run(["decode", "--secret-file", secret_file, "--salt", "chirp.session", salted])
        checks.check("salt: java reads python's salted cookie", code == 0 and out.strip() == '{"salted":"yes"}', err)
        expect_rejected(checks, "salt: default salt", jar.run(["decode", salted], secret=secret),
                        "signature does not match")

        # Rejections, and clock skew.
        now = int(time.time())
        good = URLSafeTimedSerializer(secret).dumps({"user_id": 42, "role": "user"})
        payload, stamp, sig = good.split(".")
        forged = URLSafeTimedSerializer("attacker").dumps({"user_id": 42, "role": "admin"}).split(".")[0]
        expect_rejected(checks, "tampered payload", jar.run(["decode", f"{forged}.{stamp}.{sig}"], secret=secret),
                        "signature does not match")
        expect_rejected(checks, "tampered signature",
                        jar.run(["decode", f"{payload}.{stamp}.{sig[:5]}{'A' if sig[5] != 'A' else 'B'}{sig[6:]}"],
                                secret=secret), "signature does not match")
        expect_rejected(checks, "wrong key", jar.run(["decode", URLSafeTimedSerializer("other").dumps({"a": 1})],
                                                     secret=secret), "signature does not match")
        expect_rejected(checks, "junk", jar.run(["decode", "definitely-not-a-cookie"], secret=secret), "malformed")
        # Python's json writes and reads NaN and the infinities; Java refuses non-finite numbers everywhere.
        for name, value in (("NaN", math.nan), ("Infinity", math.inf), ("-Infinity", -math.inf)):
            expect_rejected(checks, f"python's {name}", jar.run(["decode", URLSafeTimedSerializer(secret).dumps(
                {"x": value})], secret=secret), "payload is not valid JSON")
        expired = fixed_time_serializer(secret, now - 120).dumps({"a": 1})
        expect_rejected(checks, "expired", jar.run(["decode", "--max-age", "60", expired], secret=secret),
                        "signature expired")
        expired_default = fixed_time_serializer(secret, now - 86400 - 60).dumps({"a": 1})
        expect_rejected(checks, "expired under the default max age of one day",
                        jar.run(["decode", expired_default], secret=secret), "signature expired")
        future = fixed_time_serializer(secret, now + 3600).dumps({"a": 1})
        expect_rejected(checks, "far future", jar.run(["decode", future], secret=secret), "in the future")
        skewed = fixed_time_serializer(secret, now + 2).dumps({"skew": 2})
        code, out, err = jar.run(["decode", skewed], secret=secret)
        checks.check("a cookie signed 2 s in the future (clock skew) is accepted",
                     code == 0 and out.strip() == '{"skew":2}', f"exit {code}: {err.strip()}")
        code, out, err = jar.run(["decode", good])
        checks.check("decode without a secret exits 2 with one line",
                     code == 2 and len(err.strip().splitlines()) == 1 and "CHIRP_SESSION_SECRET" in err, err)
        code, out, err = jar.run(["encode"], secret=secret, stdin="{not json")
        checks.check("encode of bad JSON exits 2 with one line", code == 2 and len(err.strip().splitlines()) == 1, err)
        code, out, err = jar.run(["inspect", good])
        checks.check("inspect marks its output UNVERIFIED", code == 0 and out.startswith("UNVERIFIED"), out)

    print(f"interop: {checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
