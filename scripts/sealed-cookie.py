#!/usr/bin/python3
"""Seals and opens chirp-sessions sealed v1 cookie values, written from docs/wire-format.md alone.

  sealed-cookie.py seal COOKIE_NAME [TIMESTAMP] < session.json   prints the cookie value
  sealed-cookie.py open COOKIE_NAME [MAX_AGE]   < cookie-value   prints the session JSON; exit 1 if refused
The secret comes from the environment variable CHIRP_SESSION_SECRET. Needs python3-cryptography.
"""
import base64, json, os, sys, time
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def key(secret):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"chirp-sessions sealed v1",
                info=b"aes-256-gcm").derive(secret.encode("utf-8"))


def seal(secret, cookie_name, session, timestamp):
    nonce = os.urandom(12)
    plaintext = timestamp.to_bytes(8, "big") + json.dumps(session, separators=(",", ":")).encode("utf-8")
    sealed = b"\x01" + nonce + AESGCM(key(secret)).encrypt(nonce, plaintext, cookie_name.encode("utf-8"))
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")


def open_(secret, cookie_name, value, max_age, now):
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != value or len(raw) < 38 or raw[0] != 1:
        raise ValueError("malformed")
    plaintext = AESGCM(key(secret)).decrypt(raw[1:13], raw[13:], cookie_name.encode("utf-8"))  # InvalidTag
    signed_at = int.from_bytes(plaintext[:8], "big")
    if now - signed_at > max_age or signed_at - now > 5:
        raise ValueError("expired or signed in the future")
    return json.loads(plaintext[8:])


if __name__ == "__main__":
    command, cookie_name, secret = sys.argv[1], sys.argv[2], os.environ["CHIRP_SESSION_SECRET"]
    if command == "seal":
        ts = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time())
        print(seal(secret, cookie_name, json.load(sys.stdin), ts))
    else:
        try:
            max_age = int(sys.argv[3]) if len(sys.argv) > 3 else 86400
            print(json.dumps(open_(secret, cookie_name, sys.stdin.read().strip(), max_age, int(time.time())),
                             separators=(",", ":"), ensure_ascii=False))
        except Exception as e:  # InvalidTag, ValueError, binascii.Error
            print(f"refused: {type(e).__name__} {e}", file=sys.stderr)
            sys.exit(1)
