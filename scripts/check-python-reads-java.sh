#!/usr/bin/env bash
# Checks that the chirp-session jar and Python's itsdangerous read each other's session cookies, both
# directions: compressed, non-ASCII, big integers, floats, rotated keys, custom salt, rejections, clock
# skew, and random sessions (seed printed; replay with --seed N). Arguments go to itsdangerous-interop.py
# (--random N, --seed N, --verbose).
#
# Needs: the jar (mvn -q -pl chirp-sessions-cli -am package -DskipTests), a JDK on PATH, and a Python with
# itsdangerous (Debian: apt-get install python3-itsdangerous). Override with CHIRP_SESSION_JAR / PYTHON.
# Exit 0 when every check passed, 1 when one failed, 2 when a prerequisite is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${CHIRP_SESSION_JAR:-$root/chirp-sessions-cli/target/chirp-session.jar}"
python="${PYTHON:-/usr/bin/python3}"

if [[ ! -f "$jar" ]]; then
  echo "check-python-reads-java: no jar at $jar; build it with: mvn -q -pl chirp-sessions-cli -am package -DskipTests" >&2
  exit 2
fi
if ! command -v java >/dev/null; then
  echo "check-python-reads-java: no java on PATH" >&2
  exit 2
fi
if ! "$python" -c 'import itsdangerous' 2>/dev/null; then
  echo "check-python-reads-java: $python cannot import itsdangerous; install it: apt-get install -y python3-itsdangerous (or set PYTHON)" >&2
  exit 2
fi

exec "$python" "$root/scripts/itsdangerous-interop.py" --jar "$jar" "$@"
