#!/usr/bin/env bash
# What a new user does before the artifacts are on Maven Central, from an empty local repository:
#  1. the README's install command (`mvn -q -DskipTests install`) puts chirp-sessions in it;
#  2. a separate application (scripts/consumer: Spring Boot 4.0.7, the BOM and the starter, nothing else
#     of ours) builds against that repository;
#  3. it starts on a free port and a session cookie comes back over HTTP, and is read back.
# The empty repository may take third-party artifacts from ~/.m2 (offered as a file:// repository with
# dev/chirp left out) or from Maven Central; every dev.chirp file in it must come from step 1, which the
# check reads from Maven's own record (_remote.repositories) at the end. ~/.m2 itself is never written.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | sed -n 1p)
m2=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}

work=$(mktemp -d /tmp/chirp-consumer.XXXXXX)
app_pid=
cleanup() {
    if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The seed: a view of ~/.m2 without dev/chirp (symbolic links; nothing is copied or changed there).
mkdir -p "$work/seed/dev"
if [ -d "$m2" ]; then
    for entry in "$m2"/*; do [ "$(basename "$entry")" = dev ] || ln -s "$entry" "$work/seed/"; done
    if [ -d "$m2/dev" ]; then
        for entry in "$m2"/dev/*; do [ "$(basename "$entry")" = chirp ] || ln -s "$entry" "$work/seed/dev/"; done
    fi
fi
cat > "$work/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>seed</id>
      <repositories>
        <repository><id>seed</id><url>file://$work/seed</url></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>seed</id><url>file://$work/seed</url></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
</settings>
XML
repo=$work/repository
mvn_in() { mvn -B -ntp -s "$work/settings.xml" -Dmaven.repo.local="$repo" "$@"; }

echo "consumer: the README's install command into an empty local repository"
start=$(date +%s)
if ! mvn_in -q -DskipTests install > "$work/install.log" 2>&1; then
    sed -n 1,60p "$work/install.log"
    echo "consumer: FAILED: mvn -q -DskipTests install"
    exit 1
fi
echo "consumer: installed in $(( $(date +%s) - start )) s: $(find "$repo/dev/chirp" -name "*-$version.jar" | wc -l) jars of dev.chirp $version"

echo "consumer: building scripts/consumer (Spring Boot 4.0.7 + chirp-sessions-bom + the starter)"
cp -r scripts/consumer "$work/app"
rm -rf "$work/app/target"
start=$(date +%s)
if ! (cd "$work/app" && mvn_in -q -Dchirp-sessions.version="$version" package) > "$work/app-build.log" 2>&1; then
    sed -n 1,60p "$work/app-build.log"
    echo "consumer: FAILED: the application does not build against what the install command installed"
    exit 1
fi
echo "consumer: built in $(( $(date +%s) - start )) s"

# Every dev.chirp file Maven resolved must be one the install command put there: Maven writes
# "name>=" for an installed file and "name>REPO=" for one it downloaded.
downloaded=$(find "$repo/dev/chirp" -name _remote.repositories -exec grep -H '>[^=]' {} + || true)
if [ -n "$downloaded" ]; then
    echo "consumer: FAILED: dev.chirp files that came from a repository, not from the install command:"
    echo "$downloaded"
    exit 1
fi
for needed in chirp-sessions-bom/$version/chirp-sessions-bom-$version.pom \
              chirp-sessions-spring-boot-starter/$version/chirp-sessions-spring-boot-starter-$version.jar; do
    [ -f "$repo/dev/chirp/$needed" ] || { echo "consumer: FAILED: not installed: dev/chirp/$needed"; exit 1; }
done
if ! grep -q "chirp-sessions-spring-boot-autoconfigure-$version.jar" "$work/app/target/classpath.txt"; then
    echo "consumer: FAILED: the starter did not bring the auto-configuration:"; cat "$work/app/target/classpath.txt"; exit 1
fi

echo "consumer: starting the application on a free port"
: > "$work/app.log"
CHIRP_SESSION_SECRET=$(head -c 32 /dev/urandom | base64) \
    java -cp "$work/app/target/chirp-sessions-consumer-1.0.jar:$(cat "$work/app/target/classpath.txt")" \
    example.consumer.ConsumerApp --server.port=0 --server.address=127.0.0.1 > "$work/app.log" 2>&1 &
app_pid=$!
port=
for _ in $(seq 1 120); do
    port=$(sed -n 's/.*Tomcat started on port \([0-9][0-9]*\).*/\1/p' "$work/app.log" | sed -n 1p || true)
    [ -n "$port" ] && break
    if ! kill -0 "$app_pid" 2>/dev/null; then break; fi
    sleep 0.5
done
if [ -z "$port" ]; then
    sed -n 1,80p "$work/app.log"
    echo "consumer: FAILED: the application did not start within 60 s"
    exit 1
fi

first=$(curl -sS -D "$work/headers1" -c "$work/cookies" "http://127.0.0.1:$port/" || true)
second=$(curl -sS -D "$work/headers2" -b "$work/cookies" -c "$work/cookies" "http://127.0.0.1:$port/" || true)
# chirp's default cookie name; the second response's cookie must hold the second visit.
cookie=$( (grep -i '^set-cookie: chirp_session=' "$work/headers2" || true) | sed -n 1p | tr -d '\r')
if [ "$first" != "visits=1" ] || [ "$second" != "visits=2" ] || [ -z "$cookie" ] \
        || grep -qi 'JSESSIONID' "$work/headers1" "$work/headers2"; then
    echo "consumer: FAILED: expected visits=1 then visits=2 with a chirp session cookie and no JSESSIONID; got:"
    echo "  first: $first"; echo "  second: $second"; cat "$work/headers1" "$work/headers2" 2>/dev/null || true
    sed -n 1,60p "$work/app.log"
    exit 1
fi
# A chirp token: base64url JSON payload (not compressed at this size), timestamp and signature.
if ! [[ "$cookie" =~ ^[Ss]et-[Cc]ookie:\ chirp_session=([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\; ]]; then
    echo "consumer: FAILED: not a signed chirp cookie: $cookie"
    exit 1
fi
payload=$(python3 -c 'import base64, sys; p = sys.argv[1]; print(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode())' \
    "${BASH_REMATCH[1]}")
if [ "$payload" != '{"visits":2}' ]; then
    echo "consumer: FAILED: the cookie holds $payload, not {\"visits\":2}"
    exit 1
fi
echo "consumer: port $port: visits=1 then visits=2 through the signed cookie chirp_session (payload $payload), no JSESSIONID"
echo "consumer: 1 passed, 0 failed"
