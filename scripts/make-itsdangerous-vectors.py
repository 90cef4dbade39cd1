#!/usr/bin/python3
"""Writes the known-answer vectors that pin chirp-sessions' serializer to Python's itsdangerous.

Every token in the output is made by itsdangerous' own URLSafeTimedSerializer (the class chirp uses for
its session cookie) with a fixed signing time, then read back by itsdangerous at a fixed "now", so the
file records what the reference implementation produces and accepts. The Java test
(chirp-sessions-core ItsdangerousVectorsTest) checks that Java reads the same tokens to the same values
and rejects the same bad ones.

Usage (Debian's python3-itsdangerous; the pyenv python3 on PATH may lack it):

    /usr/bin/python3 scripts/make-itsdangerous-vectors.py [OUTPUT]

OUTPUT defaults to chirp-sessions-core/src/test/resources/itsdangerous/vectors.json. The output is
deterministic: running the script twice writes the same bytes.

Each value is described twice: "value" is the JSON value itself (for people), and "nodes" lists every
node of it with its Python type and, for numbers, Python's repr, so the Java test can compare integers
beyond 64 bits and floats exactly without trusting any JSON parser of its own.
"""

import base64
import json
import math
import os
import sys
import zlib

import itsdangerous
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.signer import Signer
from itsdangerous.timed import TimestampSigner

SIGNED_AT = 1732700000  # 2024-11-27T09:33:20Z
NOW = SIGNED_AT + 100
DAY = 86400
SECRET = "chirp-vectors-current-secret"
OLD_SECRET = "chirp-vectors-old-secret"
OTHER_SECRET = "some-other-apps-secret"
DEFAULT_SALT = "itsdangerous"


class FixedClock:
    """The one time source of itsdangerous' TimestampSigner (get_timestamp), pinned per case."""

    now = NOW


class FixedTimestampSigner(TimestampSigner):
    def get_timestamp(self):
        return FixedClock.now


def serializer(secrets, salt=DEFAULT_SALT):
    """itsdangerous' serializer with chirp's defaults; secrets oldest first, the last one signs."""
    return URLSafeTimedSerializer(secrets, salt=salt, signer=FixedTimestampSigner)


def dumps(value, secret=SECRET, salt=DEFAULT_SALT, signed_at=SIGNED_AT):
    FixedClock.now = signed_at
    return serializer([secret], salt).dumps(value)


def python_verdict(token, secret, fallbacks, salt, now, max_age):
    """What itsdangerous itself says about the token, verifying the way the Java side is configured."""
    FixedClock.now = now
    # itsdangerous takes secrets oldest first; Java takes the current one plus fallbacks newest first.
    secrets = list(reversed(fallbacks)) + [secret]
    try:
        serializer(secrets, salt).loads(token, max_age=max_age)
        return "ok"
    except Exception as e:  # record the reference's verdict whatever it is
        return type(e).__name__


def nodes(value, path=()):
    """Every node of a JSON value with its Python type; numbers carry repr() so Java can compare exactly."""
    p = list(path)
    if value is None:
        yield {"path": p, "type": "null"}
    elif isinstance(value, bool):
        yield {"path": p, "type": "bool", "text": "true" if value else "false"}
    elif isinstance(value, int):
        yield {"path": p, "type": "int", "text": str(value)}
    elif isinstance(value, float):
        yield {"path": p, "type": "float", "text": repr(value)}
    elif isinstance(value, str):
        yield {"path": p, "type": "str", "text": value}
    elif isinstance(value, list):
        yield {"path": p, "type": "array", "length": len(value)}
        for i, item in enumerate(value):
            yield from nodes(item, path + (i,))
    elif isinstance(value, dict):
        yield {"path": p, "type": "object", "keys": list(value.keys())}
        for k, item in value.items():
            yield from nodes(item, path + (k,))
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")


def payload_json(token):
    """The exact JSON text inside a token, as itsdangerous wrote it."""
    payload = token.rsplit(".", 2)[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode("utf-8")


CASES = []


def valid(name, description, value, *, secret=SECRET, signing_secret=None, fallbacks=(), salt=DEFAULT_SALT,
          signed_at=SIGNED_AT, now=NOW, max_age=DAY, token=None, expect_compressed=None, note=None):
    signing_secret = signing_secret or secret
    token = token or dumps(value, signing_secret, salt, signed_at)
    compressed = token.startswith(".")
    if expect_compressed is not None and compressed != expect_compressed:
        raise AssertionError(f"{name}: expected compressed={expect_compressed}, itsdangerous made {compressed}")
    case = {
        "name": name,
        "description": description,
        "expect": "valid",
        "token": token,
        "secret": secret,
        "fallback_secrets": list(fallbacks),
        "signing_secret": signing_secret,
        "salt": salt,
        "signed_at": signed_at,
        "now": now,
        "max_age": max_age,
        "compressed": compressed,
        "signed_with_fallback": signing_secret != secret,
        "python_json": payload_json(token),
        "value": value,
        "nodes": list(nodes(value)),
        "python": python_verdict(token, secret, list(fallbacks), salt, now, max_age),
    }
    if note:
        case["note"] = note
    if (case["python"] != "ok") != bool(note):
        raise AssertionError(f"{name}: itsdangerous says {case['python']}; a note must explain exactly the "
                             "cases where it rejects what Java accepts")
    CASES.append(case)


def rejected(name, description, token, rejections, *, secret=SECRET, fallbacks=(), salt=DEFAULT_SALT, now=NOW,
             max_age=DAY, note=None):
    case = {
        "name": name,
        "description": description,
        "expect": "rejected",
        "token": token,
        "secret": secret,
        "fallback_secrets": list(fallbacks),
        "salt": salt,
        "now": now,
        "max_age": max_age,
        "rejection": rejections,
        "python": python_verdict(token, secret, list(fallbacks), salt, now, max_age),
    }
    if note:
        case["note"] = note
    if (case["python"] == "ok") != bool(note):
        raise AssertionError(f"{name}: itsdangerous says {case['python']}; a note must explain exactly the "
                             "cases where it accepts what Java rejects")
    CASES.append(case)


def flip(ch):
    """Another base64url character whose 6 bits differ in the high bits, so decoding always changes."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return alphabet[(alphabet.index(ch) + 32) % 64]


def replace_at(s, i, ch):
    return s[:i] + ch + s[i + 1:]


def signed_raw(payload_and_timestamp, secret=SECRET, salt=DEFAULT_SALT):
    """Signs arbitrary text the way TimestampSigner does, to build correctly signed but broken tokens."""
    return Signer(secret, salt=salt).sign(payload_and_timestamp).decode("ascii")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def ts(seconds):
    return b64(seconds.to_bytes(max(1, (seconds.bit_length() + 7) // 8), "big"))


def build():
    # --- values -------------------------------------------------------------------------------------
    valid("simple-object", "a typical small session", {"user_id": 42, "name": "alice", "admin": False, "note": None},
          expect_compressed=False)
    valid("empty-object", "an empty session", {}, expect_compressed=False)
    valid("counter", "the visit counter of chirp's tests", {"visits": 1}, expect_compressed=False)
    valid("key-order", "keys keep insertion order, not sorted", {"zeta": 1, "alpha": 2, "mid": 3, "Alpha": 4},
          expect_compressed=False)
    valid("scalars", "every scalar type", {"t": True, "f": False, "n": None, "s": "", "i": 0, "neg": -17},
          expect_compressed=False)

    valid("compressed-repetitive-list", "large repetitive data: zlib wins, token starts with '.'",
          {"cart": [{"sku": "WIDGET-001", "qty": 1}] * 60}, expect_compressed=True)
    valid("compressed-long-string", "one long repetitive string",
          {"blob": "chirp-" * 400}, expect_compressed=True)
    valid("compressed-small", "a payload just big enough that itsdangerous compresses it",
          {"k": "a" * 40}, expect_compressed=True)

    valid("non-ascii-short", "raw UTF-8 without compression", {"name": "Zoë", "pet": "🐈"}, expect_compressed=False)
    valid("non-ascii", "raw UTF-8 in JSON (itsdangerous uses ensure_ascii=False), incl. emoji outside the BMP",
          {"greeting": "Grüße, 世界", "emoji": "🍪🚀", "hebrew": "שלום", "combining": "e\u0301", "nbsp": "a\u00a0b",
           "ключ": "значение", "🔑": "emoji key"})
    valid("non-ascii-compressed", "non-ASCII text inside a compressed payload",
          {"names": ["Zoë 🍪 Ünïcødé"] * 30}, expect_compressed=True)
    valid("string-escapes", "characters JSON must escape, and some it need not",
          {"quote": "say \"hi\"", "backslash": "C:\\path\\x", "newline": "a\nb\tc\r", "control": "\u0001\u001f\b\f",
           "slash": "</script>", "del": "\u007f", "line-sep": "\u2028\u2029", "nul": "\u0000"})

    valid("big-integers", "integers beyond 64 bits survive, and the 64-bit edges",
          {"over_u64": 2 ** 64 + 1, "neg_big": -(2 ** 80), "max_long": 2 ** 63 - 1, "min_long": -(2 ** 63),
           "just_over_long": 2 ** 63, "huge": 10 ** 40, "list": [2 ** 100, -(2 ** 100)]})
    valid("floats", "floats as Python writes them: 1e-05, 1732700000.1234567, -0.0, 5e-324, 1e+100",
          {"tiny": 1e-05, "ts": 1732700000.1234567, "pi": 3.141592653589793, "half": -0.5, "big": 1e+100,
           "zero": 0.0, "neg_zero": -0.0, "denormal": 5e-324, "whole": 2.0, "max": 1.7976931348623157e+308,
           "third": 1 / 3})
    rejected("non-finite-floats", "Python's json writes NaN and Infinity by default (allow_nan=True)",
             dumps({"nan": math.nan, "inf": math.inf, "ninf": -math.inf}, SECRET, DEFAULT_SALT, SIGNED_AT),
             ["BAD_PAYLOAD"],
             note="itsdangerous reads NaN and Infinity (json.loads accepts them); Java refuses non-finite numbers "
                  "in every format, since no session value may hold one")
    valid("nested", "lists and maps nested several levels",
          {"cart": [{"sku": "A1", "qty": 2}, {"sku": "B2", "qty": 1, "tags": ["x", [], {}]}],
           "prefs": {"theme": "dark", "langs": ["en", "fr"], "deep": {"a": {"b": {"c": [1, [2, [3, [4.5]]]]}}}}})
    valid("top-level-array", "the serializer itself takes any JSON value, not only objects", [1, "two", [3]],
          expect_compressed=False)
    valid("top-level-string", "a bare JSON string", "just a string", expect_compressed=False)

    # --- keys, salts, rotation ----------------------------------------------------------------------
    valid("fallback-secret", "signed with the old secret; Java's current secret differs and the old one is a fallback",
          {"user_id": 7}, signing_secret=OLD_SECRET, fallbacks=[OLD_SECRET])
    valid("fallback-secret-second", "signed with the oldest of two fallbacks",
          {"user_id": 8}, signing_secret="oldest-secret", fallbacks=[OLD_SECRET, "oldest-secret"])
    valid("fallback-secret-compressed", "a compressed payload signed with the old secret",
          {"history": ["/cart"] * 50}, signing_secret=OLD_SECRET, fallbacks=[OLD_SECRET], expect_compressed=True)
    FixedClock.now = SIGNED_AT
    rotated = serializer([OLD_SECRET, SECRET]).dumps({"rotated": True})
    valid("python-key-list-signs-with-newest", "itsdangerous given [old, new] signs with the newest (last) key",
          {"rotated": True}, token=rotated)
    valid("custom-salt", "a custom salt changes the derived key", {"user_id": 9}, salt="chirp.session")
    valid("non-ascii-salt-and-secret", "salt and secret are UTF-8 encoded before key derivation",
          {"user_id": 10}, secret="sécret-🔑-key", salt="sälz")

    # --- time -----------------------------------------------------------------------------------------
    valid("no-max-age", "without max_age any past signing time verifies", {"old": True},
          signed_at=SIGNED_AT - 10 * 365 * DAY, max_age=None)
    valid("age-equal-to-max-age", "age == max_age still verifies (only age > max_age is expired)", {"edge": True},
          now=SIGNED_AT + DAY)
    valid("future-within-skew", "signed 2 s in the future: Java's default clock-skew tolerance accepts it",
          {"skew": 2}, now=SIGNED_AT - 2,
          note="itsdangerous rejects any future time (SignatureExpired 'age < 0'); Java tolerates a small "
               "clock skew on purpose (wire-format.md, 'Reading rules')")
    valid("timestamp-one-byte", "a signing time that fits one byte", {"t": 1}, signed_at=200, max_age=None)

    # --- rejections ------------------------------------------------------------------------------------
    good = dumps({"user_id": 42, "role": "admin"})
    payload, stamp, sig = good.split(".")
    rejected("tampered-payload", "one payload character changed", replace_at(good, 5, flip(good[5])),
             ["BAD_SIGNATURE"])
    forged = b64(json.dumps({"user_id": 1, "role": "admin"}, separators=(",", ":")).encode())
    rejected("forged-payload", "a different payload with the original signature",
             f"{forged}.{stamp}.{sig}", ["BAD_SIGNATURE"])
    rejected("tampered-timestamp", "timestamp changed (an attacker extending the session)",
             f"{payload}.{ts(SIGNED_AT + DAY)}.{sig}", ["BAD_SIGNATURE"])
    rejected("tampered-signature", "one signature character changed",
             f"{payload}.{stamp}.{replace_at(sig, 10, flip(sig[10]))}", ["BAD_SIGNATURE"])
    rejected("truncated-signature", "signature cut short", f"{payload}.{stamp}.{sig[:-4]}", ["BAD_SIGNATURE"])
    rejected("missing-signature", "empty signature part", f"{payload}.{stamp}.", ["BAD_SIGNATURE", "MALFORMED"])
    rejected("wrong-secret", "signed by another app's secret", dumps({"user_id": 42}, secret=OTHER_SECRET),
             ["BAD_SIGNATURE"])
    rejected("old-secret-without-fallback", "signed with the old secret, which Java no longer lists",
             dumps({"user_id": 42}, secret=OLD_SECRET), ["BAD_SIGNATURE"])
    rejected("wrong-salt", "same secret, different salt", dumps({"user_id": 42}, salt="other-salt"),
             ["BAD_SIGNATURE"])
    compressed_good = dumps({"blob": "x" * 300})
    rejected("compression-marker-removed", "the leading '.' is part of the signed text",
             compressed_good[1:], ["BAD_SIGNATURE"])
    rejected("compression-marker-added", "a '.' put in front of an uncompressed token", "." + good,
             ["BAD_SIGNATURE"])
    rejected("expired", "age one second over max_age", dumps({"user_id": 42}), ["EXPIRED"], now=SIGNED_AT + DAY + 1)
    rejected("expired-long-ago", "signed ten years ago, max_age one day",
             dumps({"user_id": 42}, signed_at=SIGNED_AT - 10 * 365 * DAY), ["EXPIRED"])
    rejected("future-timestamp", "signed an hour in the future: beyond any clock-skew tolerance",
             dumps({"user_id": 42}, signed_at=NOW + 3600), ["SIGNED_IN_FUTURE"])
    rejected("future-timestamp-without-max-age", "far future is refused even without max_age",
             dumps({"user_id": 42}, signed_at=NOW + 3600), ["SIGNED_IN_FUTURE"], max_age=None,
             note="itsdangerous checks the future only when max_age is given; Java always refuses a time "
                  "beyond the clock-skew tolerance")
    rejected("timestamp-not-a-number", "correctly signed, but the timestamp part is not base64",
             signed_raw(f"{payload}.!!!"), ["MALFORMED"])
    rejected("timestamp-over-64-bits", "correctly signed nine-byte timestamp",
             signed_raw(f"{payload}.{b64(bytes([1] * 9))}"), ["MALFORMED"])
    rejected("payload-not-json", "correctly signed, the payload is base64 of text that is not JSON",
             signed_raw(f"{b64(b'not json at all')}.{stamp}"), ["BAD_PAYLOAD"])
    rejected("payload-not-base64", "correctly signed, the payload has a character outside base64url",
             signed_raw(f"ab*cd.{stamp}"), ["BAD_PAYLOAD", "MALFORMED"])
    rejected("payload-not-zlib", "correctly signed with the '.' marker, but not a zlib stream",
             signed_raw(f".{b64(b'{}')}.{stamp}"), ["BAD_PAYLOAD"])
    truncated = b64(b'{"a":[1,2')
    rejected("payload-truncated-json", "correctly signed, JSON cut off", signed_raw(f"{truncated}.{stamp}"),
             ["BAD_PAYLOAD"])
    bomb = dumps({"blob": "a" * 300000})
    rejected("inflate-bomb", "a 300 kB payload compressed to a few hundred bytes: over Java's 256 KiB inflate cap",
             bomb, ["PAYLOAD_TOO_LARGE"],
             note="itsdangerous inflates without a cap and accepts it; Java caps inflating (wire-format.md)")
    lone = ("itsdangerous reads an escaped lone surrogate, but cannot write one (UnicodeEncodeError: surrogates "
            "not allowed), so no chirp session holds one; Java refuses it at load rather than hold a session "
            "that neither side can write back")
    lone_value = b64(rb'{"k":"a\ud800b"}')
    lone_key = b64(rb'{"\udc00":1}')
    rejected("payload-lone-surrogate-value", "correctly signed JSON whose string value is an escaped lone surrogate",
             signed_raw(f"{lone_value}.{stamp}"), ["BAD_PAYLOAD"], note=lone)
    rejected("payload-lone-surrogate-key", "correctly signed JSON whose key is an escaped lone surrogate",
             signed_raw(f"{lone_key}.{stamp}"), ["BAD_PAYLOAD"], note=lone)
    rejected("junk-word", "not a token at all", "not-a-cookie", ["MALFORMED"])
    rejected("junk-empty", "empty string", "", ["MALFORMED"])
    rejected("junk-one-dot", "only one separator", "abc.def", ["MALFORMED"])
    rejected("junk-dots", "separators only", "..", ["MALFORMED", "BAD_SIGNATURE"])
    rejected("junk-non-ascii", "non-ASCII characters", "é.ü.ß", ["MALFORMED", "BAD_SIGNATURE"])
    rejected("junk-space", "a space inside the token", good[:8] + " " + good[8:], ["MALFORMED", "BAD_SIGNATURE"])
    rejected("signature-with-extra-characters", "characters outside base64url appended to a valid signature",
             good + "!!!!", ["MALFORMED", "BAD_SIGNATURE"],
             note="itsdangerous' base64 decoder drops characters outside the alphabet and accepts this; Java "
                  "is strict and rejects it")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "chirp-sessions-core", "src", "test", "resources", "itsdangerous",
                               "vectors.json")
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else default_out)
    build()
    document = {
        "about": "Known-answer vectors made by Python itsdangerous URLSafeTimedSerializer (chirp's cookie format). "
                 "Regenerate with: /usr/bin/python3 scripts/make-itsdangerous-vectors.py",
        "itsdangerous_version": getattr(itsdangerous, "__version__", "unknown"),
        "fields": {
            "token": "the value exactly as itsdangerous wrote it (or as tampered)",
            "secret": "the verifier's current secret; fallback_secrets: older secrets, newest first",
            "signing_secret": "the secret itsdangerous signed with",
            "now": "the verifier's clock, epoch seconds; max_age: seconds or null",
            "python_json": "the JSON text inside the token, as itsdangerous wrote it",
            "nodes": "every node of the value with Python's type and repr, for exact comparison",
            "python": "itsdangerous' own verdict with the same secrets, salt, now and max_age ('ok' or the "
                      "exception class)",
            "rejection": "the acceptable values of Java's Rejection enum",
            "note": "present where Java deliberately differs from itsdangerous",
        },
        "cases": CASES,
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        # ensure_ascii keeps the file plain ASCII so editors and diffs cannot mangle the non-ASCII cases.
        json.dump(document, f, indent=1, ensure_ascii=True, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {out}")


if __name__ == "__main__":
    main()
