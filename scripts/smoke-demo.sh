#!/usr/bin/env bash
# Drives the demo jar the way the README tells a user to run it, with curl:
# counter, cookie attributes, tampered cookie, CSRF, login/logout, log out everywhere, /health.
# Needs: a built chirp-sessions-demo/target/chirp-sessions-demo.jar, java, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=chirp-sessions-demo/target/chirp-sessions-demo.jar
[ -f "$JAR" ] || { echo "smoke-demo: $JAR missing; build it first (see README)"; exit 2; }

work=$(mktemp -d)
log="$work/demo.log"
CHIRP_SESSION_SECRET=smoke-test-secret-0123456789abcdef-0123456789 java -jar "$JAR" --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
    grep -q "listening on" "$log" && break
    sleep 0.1
done
base=$(grep -o "http://[^ ]*" "$log" | sed -n 1p || true); base=${base%/}
[ -n "$base" ] || { echo "smoke-demo: demo did not start"; cat "$log"; exit 1; }

passed=0
failed=0
check() { # name, condition result
    if [ "$2" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $1"; fi
}
has() { grep -qi -- "$2" "$1" && echo ok || echo no; }
hasnt() { grep -qi -- "$2" "$1" && echo no || echo ok; }

jar="$work/jar"
curl -s -c "$jar" -b "$jar" -D "$work/h1" "$base" >"$work/b1"
curl -s -c "$jar" -b "$jar" -D "$work/h2" "$base" >"$work/b2"
check "first visit counts 1" "$(has "$work/b1" 'Visits: 1')"
check "second visit counts 2 with the cookie" "$(has "$work/b2" 'Visits: 2')"
check "cookie has chirp's attributes" "$(has "$work/h1" 'set-cookie: chirp_session=.*Max-Age=86400.*Path=/; HttpOnly; SameSite=Lax')"
check "Vary: Cookie where the session was read" "$(has "$work/h1" '^vary: Cookie')"

curl -s -D "$work/h3" "$base" >"$work/b3"
check "counter restarts without the cookie" "$(has "$work/b3" 'Visits: 1')"

curl -s -D "$work/h4" -H 'Cookie: chirp_session=eyJ2aXNpdHMiOjk5fQ.AAAAAA.forged' "$base" >"$work/b4"
check "tampered cookie is a fresh session" "$(has "$work/h4" '^HTTP/1.1 200')"
check "tampered cookie gives Visits: 1" "$(has "$work/b4" 'Visits: 1')"

# Every POST carries the session's CSRF token, taken from a page's form as a browser does.
token() { curl -s -c "$1" -b "$1" "$base/cart" | grep -o 'name="_csrf_token" value="[0-9a-f]*"' | sed -n 1p | sed 's/.*value="//; s/"$//'; }
curl -s -c "$jar" -b "$jar" -D "$work/h4b" -o /dev/null -d username=mallory "$base/login"
check "a POST without the CSRF token is refused" "$(has "$work/h4b" '^HTTP/1.1 403')"

t=$(token "$jar")
check "pages carry a 64-hex CSRF token" "$([ ${#t} -eq 64 ] && echo ok || echo no)"
before=$(grep chirp_session "$jar" | awk '{print $7}')
curl -s -c "$jar" -b "$jar" -D "$work/h5" -d username=alice -d "_csrf_token=$t" "$base/login" >/dev/null
after=$(grep chirp_session "$jar" | awk '{print $7}')
check "login redirects" "$(has "$work/h5" '^HTTP/1.1 303')"
check "login changes the cookie" "$([ -n "$after" ] && [ "$before" != "$after" ] && echo ok || echo no)"
curl -s -c "$jar" -b "$jar" "$base" >"$work/b6"
check "home greets the user" "$(has "$work/b6" 'alice')"
phone="$work/phone"
curl -s -c "$phone" -b "$phone" -o /dev/null -d username=alice -d "_csrf_token=$(token "$phone")" "$base/login"
curl -s -c "$phone" -b "$phone" "$base" >"$work/b6b"
check "a second browser logs in as the same user" "$(has "$work/b6b" 'alice')"
curl -s -c "$jar" -b "$jar" -D "$work/h7" -o /dev/null -d "_csrf_token=$(token "$jar")" "$base/logout/everywhere"
check "log out everywhere redirects" "$(has "$work/h7" '^HTTP/1.1 303')"
curl -s -c "$phone" -b "$phone" "$base" >"$work/b7"
check "log out everywhere ends the other browser's session" "$(hasnt "$work/b7" 'Hello,')"
curl -s -c "$jar" -b "$jar" "$base" >"$work/b7b"
check "a flash message says so, once" "$(has "$work/b7b" 'Logged out everywhere')"
curl -s -c "$jar" -b "$jar" -o /dev/null -d username=alice -d "_csrf_token=$(token "$jar")" "$base/login"
curl -s -c "$jar" -b "$jar" -D "$work/h7c" -o /dev/null -d "_csrf_token=$(token "$jar")" "$base/logout"
check "logout redirects" "$(has "$work/h7c" '^HTTP/1.1 303')"
curl -s -c "$jar" -b "$jar" "$base" >"$work/b7d"
check "logout forgets the user" "$(hasnt "$work/b7d" 'Hello,')"

curl -s -D "$work/h8" "$base/health" >"$work/b8"
check "/health answers ok" "$(has "$work/b8" 'ok')"
check "/health sets no cookie" "$(hasnt "$work/h8" 'set-cookie')"
check "/health has no Vary" "$(hasnt "$work/h8" '^vary')"

echo "smoke-demo: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
