#!/usr/bin/python3
"""Cross-checks the chirp-session jar against a real Flask app and an independent sealed-format reader.

Run through scripts/check-flask-and-sealed.sh. A Flask app (Debian's python3-flask) runs on loopback on
a free port; cookies go through real HTTP:
  * Flask sets a session with every tag type (tuple, bytes, UUID, datetime, Markup, a dict whose only
    key looks like a tag) and flashes; the jar's 'decode --format flask' gives the same values.
  * The jar's 'encode --format flask' makes a cookie; Flask reads the same values and shows the flashes.
  * Sealed v1: the jar seals and scripts/sealed-cookie.py (Python's cryptography) opens, and the other
    way; tampered, truncated, wrong-name, wrong-key and expired values are refused by both.
Exit 0 when every check passed, 1 otherwise; the last line is "flask/sealed: N passed, M failed".
"""
import argparse
import datetime
import http.cookies
import importlib.util
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

from flask import Flask, flash, get_flashed_messages, session
from flask.json.tag import TaggedJSONSerializer
from markupsafe import Markup
from werkzeug.serving import WSGIRequestHandler, make_server

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "flask-interop-secret-0123456789abcdef-xyz"
TAGGED = TaggedJSONSerializer()
spec = importlib.util.spec_from_file_location("sealed_cookie", os.path.join(HERE, "sealed-cookie.py"))
sealed_cookie = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sealed_cookie)

FLASK_VALUES = {
    "tuple": (1, "a", (2.5, None)),
    "bytes": b"\x00\xff binary",
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "when": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    "escaped": {" t": [1, 2]},
    "nested": {"list": [b"x", (1,)], "text": "Zoë 🍪"},
}


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # a passing run prints only its summary
        pass


def make_app():
    app = Flask("interop")
    app.secret_key = SECRET

    @app.route("/set")
    def set_all():
        session.update(FLASK_VALUES)
        session["markup"] = Markup("<b>bold</b>")
        flash("Saved")
        flash("Careful", "warning")
        return "ok"

    @app.route("/show")
    def show():
        flashes = get_flashed_messages(with_categories=True)
        return json.dumps({"session": TAGGED.dumps(dict(session)), "flashes": [list(f) for f in flashes]})

    return app


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL  {name}: {detail}")


def jar(path, args, stdin="", secret=SECRET):
    env = dict(os.environ, CHIRP_SESSION_SECRET=secret)
    p = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", path, *args], input=stdin.encode("utf-8"),
                       capture_output=True, env=env, timeout=60)
    return p.returncode, p.stdout.decode("utf-8").strip(), p.stderr.decode("utf-8").strip()


def http_get(port, path, cookie=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if cookie:
        request.add_header("Cookie", "session=" + cookie)
    with urllib.request.urlopen(request, timeout=30) as response:
        jar_ = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar_.load(header)
        return response.read().decode("utf-8"), (jar_["session"].value if "session" in jar_ else None)


def tampered(value, rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    out = []
    for i in sorted(rng.sample(range(len(value)), 6)) + [0, len(value) - 1]:
        c = alphabet[(alphabet.index(value[i]) + rng.randrange(1, 64)) % 64]
        out.append(("changed at %d" % i, value[:i] + c + value[i + 1:]))
    out.append(("truncated", value[:-1]))
    out.append(("cut to half", value[: len(value) // 2]))
    out.append(("extended", value + "A"))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    print(f"flask/sealed: seed {args.seed} (replay with --seed {args.seed})")
    rng = random.Random(args.seed)
    checks = Checks()

    server = make_server("127.0.0.1", 0, make_app(), request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    try:
        # 1. Flask writes, Java reads.
        _, cookie = http_get(port, "/set")
        rc, out, err = jar(args.jar, ["decode", "--format", "flask", cookie])
        checks.check("Flask cookie decodes", rc == 0, err)
        if rc == 0:
            got = TAGGED.loads(out)
            expected = dict(FLASK_VALUES, markup="<b>bold</b>", _flashes=[("message", "Saved"), ("warning", "Careful")])
            checks.check("Flask values read in Java", got == expected, f"{got!r} != {expected!r}")
            checks.check("tuples stay tuples", type(got["tuple"]) is tuple and type(got["_flashes"][0]) is tuple,
                         repr(got))

        # 2. Java writes, Flask reads (flashes given as Flask's flash() writes them).
        java_values = dict(FLASK_VALUES, _flashes=[("message", "From Java"), ("error", "Java error")])
        rc, java_cookie, err = jar(args.jar, ["encode", "--format", "flask"], TAGGED.dumps(java_values))
        checks.check("Java encodes a Flask cookie", rc == 0, err)
        body, _ = http_get(port, "/show", java_cookie)
        shown = json.loads(body)
        flask_session = TAGGED.loads(shown["session"])
        without_flashes = {k: v for k, v in java_values.items() if k != "_flashes"}
        checks.check("Flask reads Java's values", flask_session == without_flashes,
                     f"{flask_session!r} != {without_flashes!r}")
        checks.check("Flask shows Java's flashes", shown["flashes"] == [["message", "From Java"], ["error", "Java error"]],
                     repr(shown["flashes"]))
        rc, _, _ = jar(args.jar, ["decode", "--format", "flask", java_cookie], secret="another-secret-0123456789abcdef")
        checks.check("Flask cookie under another secret refused", rc == 1)
        rc, _, _ = jar(args.jar, ["decode", java_cookie])
        checks.check("Flask cookie refused as a chirp cookie", rc == 1)
    finally:
        server.shutdown()

    # 3. Sealed, both ways.
    value = {"user": "ana", "n": [1, 2.5, True, None], "text": "Zoë 🍪", "big": 2 ** 70}
    rc, java_sealed, err = jar(args.jar, ["encode", "--format", "sealed"], json.dumps(value))
    checks.check("Java seals", rc == 0, err)
    now = int(time.time())
    try:
        opened = sealed_cookie.open_(SECRET, "chirp_session", java_sealed, 86400, now)
        checks.check("Python opens Java's sealed cookie", opened == value, repr(opened))
    except Exception as e:  # noqa: BLE001
        checks.check("Python opens Java's sealed cookie", False, repr(e))
    python_sealed = sealed_cookie.seal(SECRET, "app", value, now)
    rc, out, err = jar(args.jar, ["decode", "--format", "sealed", "--cookie-name", "app", python_sealed])
    checks.check("Java opens Python's sealed cookie", rc == 0 and json.loads(out) == value, out + err)
    rc, out, _ = jar(args.jar, ["inspect", python_sealed])
    checks.check("inspect shows only that it is sealed", rc == 0 and "sealed" in out and "ana" not in out, out)

    refusals = [("wrong name", python_sealed, ["--cookie-name", "other"]),
                ("wrong key", sealed_cookie.seal("not-the-secret", "app", value, now), ["--cookie-name", "app"]),
                ("expired", sealed_cookie.seal(SECRET, "app", value, now - 90000), ["--cookie-name", "app"]),
                ("far future", sealed_cookie.seal(SECRET, "app", value, now + 3600), ["--cookie-name", "app"])]
    refusals += [(name, v, ["--cookie-name", "app"]) for name, v in tampered(python_sealed, rng)]
    for name, bad, extra in refusals:
        rc, out, err = jar(args.jar, ["decode", "--format", "sealed", *extra, bad])
        checks.check(f"Java refuses sealed cookie: {name}", rc == 1 and out == "", f"rc={rc} out={out} err={err}")
    for name, bad in tampered(java_sealed, rng):
        try:
            sealed_cookie.open_(SECRET, "chirp_session", bad, 86400, now)
            checks.check(f"Python refuses Java's sealed cookie: {name}", False, "opened")
        except Exception:  # noqa: BLE001  InvalidTag, ValueError, binascii.Error
            checks.check(f"Python refuses Java's sealed cookie: {name}", True)

    print(f"flask/sealed: {checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
