#!/usr/bin/python3
"""Checks the Flask tagged-JSON corpus against the real Flask: every payload decodes to the recorded value, or fails.

The corpus (chirp-sessions-core/src/test/resources/flask-tag-corpus.json) lists hostile payloads of Flask's
tagged JSON that only a holder of SECRET_KEY can sign (dates with two-digit years, wrong weekdays, zone
names, asctime; bytes with bad padding or non-ASCII; UUIDs with 0x, +, _ or spaces; tuples over strings and
objects; Markup over non-strings; ...) and what Flask's own TaggedJSONSerializer.loads makes of each: a value
(described with its Python types) or an error (a Flask app answers that cookie with a 500). The Java test
FlaskTagCorpusTest checks that chirp-sessions decodes each payload to the same value and refuses the same
ones; this script checks that the recorded outcomes are Flask's, so the two together pin Java to Flask.

Usage:
    /usr/bin/python3 scripts/flask-tag-corpus.py [--corpus FILE]          # check; exit 1 on any difference
    /usr/bin/python3 scripts/flask-tag-corpus.py --write [--corpus FILE]  # rewrite the outcomes from Flask

Exit 0 when Flask agrees with every case, 1 when one differs (each difference printed), 2 when Flask cannot be
imported (scripts/check-flask-tag-corpus.sh turns that into a skip).
"""

import argparse
import datetime
import json
import os
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "chirp-sessions-core", "src", "test", "resources", "flask-tag-corpus.json")

H32 = "12345678123456781234567812345678"


def tagged(tag, inner):
    return json.dumps({"v": {tag: inner}}, ensure_ascii=False, separators=(",", ":"))


# (name, session JSON). Each payload sits under "v" of a plain object, as in a session.
CASES = [
    # " d": werkzeug.http.parse_date -> email.utils.parsedate_to_datetime
    ("date: RFC 1123 as Flask writes it", tagged(" d", "Wed, 21 Oct 2015 07:28:00 GMT")),
    ("date: two-digit year 69 is 1969", tagged(" d", "Thu, 01 Jan 69 00:00:00 GMT")),
    ("date: two-digit year 68 is 2068", tagged(" d", "Sun, 01 Jan 68 00:00:00 GMT")),
    ("date: two-digit year 15", tagged(" d", "Wed, 21 Oct 15 07:28:00 GMT")),
    ("date: year 0 is 2000", tagged(" d", "Sat, 01 Jan 0 00:00:00 GMT")),
    ("date: wrong weekday is ignored", tagged(" d", "Mon, 21 Oct 2015 07:28:00 GMT")),
    ("date: no weekday", tagged(" d", "21 Oct 2015 07:28:00 GMT")),
    ("date: EST", tagged(" d", "Wed, 21 Oct 2015 07:28:00 EST")),
    ("date: PDT lower case", tagged(" d", "Wed, 21 Oct 2015 07:28:00 pdt")),
    ("date: numeric offset +0530", tagged(" d", "Wed, 21 Oct 2015 07:28:00 +0530")),
    ("date: offset glued to the time", tagged(" d", "21 Oct 2015 07:28:00-0800")),
    ("date: -0000 means UTC", tagged(" d", "Wed, 21 Oct 2015 07:28:00 -0000")),
    ("date: unknown zone name is UTC", tagged(" d", "Wed, 21 Oct 2015 07:28:00 XYZ")),
    ("date: asctime", tagged(" d", "Wed Oct 21 07:28:00 2015")),
    ("date: RFC 850", tagged(" d", "Wednesday, 21-Oct-15 07:28:00 GMT")),
    ("date: no seconds", tagged(" d", "Wed, 21 Oct 2015 07:28 GMT")),
    ("date: dots in the time", tagged(" d", "Wed, 21 Oct 2015 07.28.05 GMT")),
    ("date: full month name, month first", tagged(" d", "October 21 2015 07:28:00 GMT")),
    ("date: day of the month out of range", tagged(" d", "Mon, 30 Feb 2015 07:28:00 GMT")),
    ("date: second 60", tagged(" d", "Wed, 21 Oct 2015 23:59:60 GMT")),
    ("date: offset of more than a day", tagged(" d", "Wed, 21 Oct 2015 07:28:00 +9999")),
    ("date: year 10000", tagged(" d", "Wed, 21 Oct 10000 07:28:00 GMT")),
    ("date: year too large for C", tagged(" d", "Wed, 21 Oct 99999999999 07:28:00 GMT")),
    ("date: Arabic-Indic digits", tagged(" d", "21 Oct \u0662\u0660\u0661\u0665 07:28:00 GMT")),
    ("date: underscore in the year", tagged(" d", "21 Oct 2_015 07:28:00 GMT")),
    ("date: not a date", tagged(" d", "not a date")),
    ("date: empty", tagged(" d", "")),
    ("date: null", tagged(" d", None)),
    ("date: zero", tagged(" d", 0)),
    ("date: a number", tagged(" d", 5)),
    ("date: a list", tagged(" d", ["Wed, 21 Oct 2015 07:28:00 GMT"])),
    ("date: of bytes", tagged(" d", {" b": "V2VkLCAyMSBPY3QgMjAxNSAwNzoyODowMCBHTVQ="})),
    # " b": base64.b64decode (binascii.a2b_base64, not strict)
    ("bytes: padded", tagged(" b", "aGVsbG8=")),
    ("bytes: empty", tagged(" b", "")),
    ("bytes: missing padding", tagged(" b", "aGVsbG8")),
    ("bytes: extra padding", tagged(" b", "aGVsbA===")),
    ("bytes: one character too many", tagged(" b", "aGVsbG8hY")),
    ("bytes: spaces and junk skipped", tagged(" b", "aGV s*bG\n8=")),
    ("bytes: URL-safe alphabet skipped", tagged(" b", "YW-Jj_")),
    ("bytes: data after the padding ignored", tagged(" b", "YQ==YWI=")),
    ("bytes: padding in the middle of a quad", tagged(" b", "YQ=x=")),
    ("bytes: non-ASCII", tagged(" b", "aGVsbG8=\u00e9")),
    ("bytes: a number", tagged(" b", 5)),
    ("bytes: a list", tagged(" b", ["aGk="])),
    ("bytes: of bytes", tagged(" b", {" b": "YUdrPQ=="})),
    ("bytes: of Markup", tagged(" b", {" m": "aGk="})),
    # " u": uuid.UUID(hex) -> int(hex, 16)
    ("uuid: 32 hex digits", tagged(" u", H32)),
    ("uuid: braces, urn:uuid: and hyphens", tagged(" u", "urn:uuid:{12345678-1234-5678-1234-567812345678}")),
    ("uuid: upper case", tagged(" u", H32.upper().replace("1", "A"))),
    ("uuid: 0x prefix", tagged(" u", "0x" + H32[2:])),
    ("uuid: 0x and an underscore", tagged(" u", "0x_" + H32[3:])),
    ("uuid: plus sign", tagged(" u", "+" + H32[1:])),
    ("uuid: minus zero", tagged(" u", "-" + "0" * 31)),
    ("uuid: negative", tagged(" u", "-" + H32[1:])),
    ("uuid: underscores between digits", tagged(" u", "1234_678_234_678_234_678_234_678")),
    ("uuid: double underscore", tagged(" u", "1234__78123456781234567812345678")),
    ("uuid: surrounding spaces", tagged(" u", " " + H32[1:31] + " ")),
    ("uuid: inner space", tagged(" u", H32[:16] + " " + H32[17:])),
    ("uuid: Arabic-Indic digits", tagged(" u", "\u0661" + H32[1:])),
    ("uuid: 31 digits", tagged(" u", H32[1:])),
    ("uuid: not hex", tagged(" u", "z" * 32)),
    ("uuid: a number", tagged(" u", 12345)),
    # " t": tuple(value)
    ("tuple: of a list", tagged(" t", [1, "a", None])),
    ("tuple: of a string", tagged(" t", "ab\U0001F36A")),
    ("tuple: of an empty string", tagged(" t", "")),
    ("tuple: of an object is its keys", tagged(" t", {"x": 1, "y": 2})),
    ("tuple: of bytes is their ints", tagged(" t", {" b": "AP8="})),
    ("tuple: of Markup", tagged(" t", {" m": "hi"})),
    ("tuple: of a tuple", tagged(" t", {" t": [1]})),
    ("tuple: of a number", tagged(" t", 5)),
    ("tuple: of null", tagged(" t", None)),
    ("tuple: of a UUID", tagged(" t", {" u": H32})),
    # " m": Markup(value) is str(value)
    ("markup: a string", tagged(" m", "<b>hi</b>")),
    ("markup: an integer", tagged(" m", 5)),
    ("markup: a big integer", tagged(" m", 2 ** 70)),
    ("markup: floats", json.dumps({"a": {" m": 1.5e-05}, "b": {" m": 1e16}, "c": {" m": 2.0}, "d": {" m": -0.0},
                                   "e": {" m": 123456.789}})),
    ("markup: true, false and null", json.dumps({"a": {" m": True}, "b": {" m": False}, "c": {" m": None}})),
    ("markup: a list", tagged(" m", [1, "a", None, True, 1.5, "it's", "say \"hi\""])),
    ("markup: an object", tagged(" m", {"a": "it's", "b": [{}], "c": "both ' and \""})),
    ("markup: escapes in a list", tagged(" m", ["\x01\n\t\\", "\u200b\u00a0\u00e9", "\U0001F36A", "\x7f"])),
    ("markup: bytes", tagged(" m", {" b": "aGknAAk="})),
    ("markup: a UUID", tagged(" m", {" u": H32})),
    ("markup: a UUID in a list", tagged(" m", [{" u": H32}])),
    ("markup: a date with its zone", tagged(" m", {" d": "Wed, 21 Oct 2015 07:28:05 EST"})),
    ("markup: dates in a list", tagged(" m", [{" d": "Wed, 21 Oct 2015 07:28:00 GMT"},
                                               {" d": "Wed, 21 Oct 2015 07:28:09 -0130"}])),
    ("markup: a failed date", tagged(" m", {" d": "nope"})),
    ("markup: tuples", tagged(" m", [{" t": [1]}, {" t": []}, {" t": [1, 2]}])),
    ("markup: Markup in a list", tagged(" m", [{" m": "x"}])),
    # " di": TagDict
    ("dict: a tag name escaped", tagged(" di", {" t__": [1]})),
    ("dict: a short key", tagged(" di", {"a": 1})),
    ("dict: first key wins", tagged(" di", {" b__": "x", "other": 2})),
    ("dict: holding a list", tagged(" di", [" t__"])),
    ("dict: holding a string", tagged(" di", "abc")),
    ("dict: holding an empty object", tagged(" di", {})),
    ("dict: holding a tag", tagged(" di", {" t": [1]})),
    # not tags
    ("an unknown tag stays an object", tagged(" x", 1)),
    ("a tag beside another key stays an object", json.dumps({"v": {" t": [1], "k": 2}})),
]


def describe(value):
    """The value with its Python types, in JSON: what the Java test compares against."""
    from markupsafe import Markup

    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Markup):
        return {"markup": str(value)}
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, tuple):
        return {"tuple": [describe(item) for item in value]}
    if isinstance(value, list):
        return [describe(item) for item in value]
    if isinstance(value, dict):
        return {"dict": [[key, describe(item)] for key, item in value.items()]}
    if isinstance(value, uuid.UUID):
        return {"uuid": value.hex}
    if isinstance(value, datetime.datetime):
        return {"datetime": int(value.timestamp()), "offset": int(value.utcoffset().total_seconds())}
    raise TypeError(f"no description for {type(value).__name__}")


def flask_outcome(text):
    from flask.sessions import session_json_serializer

    try:
        value = session_json_serializer.loads(text)
    except Exception as e:  # a Flask app fails the request with a 500: the cookie is unusable
        return {"outcome": "error", "python_error": type(e).__name__}
    return {"outcome": "decoded", "value": describe(value)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--write", action="store_true", help="record Flask's outcomes for the cases in this script")
    args = parser.parse_args()
    try:
        import flask
        from importlib.metadata import version
    except ImportError as e:
        print(f"flask-tag-corpus: {sys.executable} cannot import flask ({e}); "
              "install it: apt-get install -y python3-flask", file=sys.stderr)
        return 2
    flask_version = version("flask")

    if args.write:
        cases = [dict(name=name, json=text, **flask_outcome(text)) for name, text in CASES]
        names = [c["name"] for c in cases]
        if len(set(names)) != len(names):
            raise SystemExit("duplicate case names")
        document = {
            "about": "Flask tagged-JSON payloads and what Flask's TaggedJSONSerializer.loads makes of each. "
                     "Checked against chirp-sessions by FlaskTagCorpusTest and against Flask by "
                     "scripts/flask-tag-corpus.py (from .ci/run); rewrite with --write.",
            "fields": {
                "json": "the session JSON as it is signed into the cookie",
                "outcome": "'decoded' or 'error' (Flask raises: a Flask app answers with a 500; Java refuses the cookie)",
                "value": "the decoded session, each value with its Python type: {'int': text}, {'float': repr}, "
                         "{'bytes': hex}, {'tuple': [...]}, {'dict': [[key, value], ...]}, {'uuid': hex}, "
                         "{'datetime': epoch seconds, 'offset': seconds east of UTC}, {'markup': text}; "
                         "strings, lists, true/false and null as themselves",
            },
            "recorded_with_flask": flask_version,
            "cases": cases,
        }
        with open(args.corpus, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=1, ensure_ascii=True)
            f.write("\n")
        print(f"flask-tag-corpus: wrote {len(cases)} cases from Flask {flask_version} to {args.corpus}")
        return 0

    with open(args.corpus, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    failures = 0
    for case in cases:
        actual = flask_outcome(case["json"])
        # The exception's class is information only: it differs between Python releases.
        actual.pop("python_error", None)
        expected = {k: case[k] for k in ("outcome", "value") if k in case}
        if actual != expected:
            failures += 1
            print(f"FAIL {case['name']}: {case['json']}\n  corpus: {json.dumps(expected)}\n  flask:  {json.dumps(actual)}")
    print(f"flask-tag-corpus: Flask {flask_version} ({sys.executable}) agrees with {len(cases) - failures} of "
          f"{len(cases)} cases")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
