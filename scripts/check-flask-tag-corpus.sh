#!/usr/bin/env bash
# Checks that the Flask tagged-JSON corpus (chirp-sessions-core/src/test/resources/flask-tag-corpus.json)
# records what the real Flask makes of each hostile payload; the Java test FlaskTagCorpusTest checks that
# chirp-sessions makes the same of them. Fails (exit 1) on any difference and prints it; skips (exit 0,
# with a message) only when the Python has no Flask. Override the interpreter with PYTHON.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"

if ! "$python" -c 'import flask' 2>/dev/null; then
  echo "check-flask-tag-corpus: skipped: $python cannot import flask; install it: apt-get install -y python3-flask (or set PYTHON)" >&2
  exit 0
fi

exec "$python" "$root/scripts/flask-tag-corpus.py" "$@"
