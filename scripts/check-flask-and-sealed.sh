#!/usr/bin/env bash
# Checks the chirp-session jar against a real Flask app on loopback (Flask's session cookie, every tag
# type, flashes, both directions) and against an independent Python implementation of the sealed format
# (scripts/sealed-cookie.py on Python's cryptography), including tampered, truncated, wrong-name,
# wrong-key and expired sealed cookies. Arguments go to flask-sealed-interop.py (--seed N).
#
# Needs: the jar (mvn -q -pl chirp-sessions-cli -am package -DskipTests), a JDK on PATH, and a Python with
# Flask and cryptography (Debian: apt-get install python3-flask python3-cryptography). Override with
# CHIRP_SESSION_JAR / PYTHON. Exit 0 when every check passed, 1 when one failed, 2 when a prerequisite is
# missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${CHIRP_SESSION_JAR:-$root/chirp-sessions-cli/target/chirp-session.jar}"
python="${PYTHON:-/usr/bin/python3}"

if [[ ! -f "$jar" ]]; then
  echo "check-flask-and-sealed: no jar at $jar; build it with: mvn -q -pl chirp-sessions-cli -am package -DskipTests" >&2
  exit 2
fi
if ! command -v java >/dev/null; then
  echo "check-flask-and-sealed: no java on PATH" >&2
  exit 2
fi
if ! "$python" -c 'import flask, cryptography' 2>/dev/null; then
  echo "check-flask-and-sealed: $python cannot import flask and cryptography; install them: apt-get install -y python3-flask python3-cryptography (or set PYTHON)" >&2
  exit 2
fi

exec "$python" "$root/scripts/flask-sealed-interop.py" --jar "$jar" "$@"
