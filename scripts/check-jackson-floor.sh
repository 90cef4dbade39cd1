#!/usr/bin/env bash
# chirp-sessions-core is built with one jackson-core but runs on the application's: Spring Boot's BOM sets
# it (Boot 3.3: 2.17, 3.5: 2.19, 4.0: 2.21). The core supports 2.16 and newer (JacksonSupport.MINIMUM).
# This runs the core's whole test suite on the oldest supported jackson-core and on 2.18.0 (whose UTF-8
# writer option corrupted text, which the core must not depend on), then checks that older ones are
# refused at startup with the message that says what to do - through the middleware and through
# SessionJson - not with a NoSuchMethodError or NoClassDefFoundError on the first request.
# Run after a build (`mvn verify` or `mvn package`), which compiles the tests this runs.
set -euo pipefail
cd "$(dirname "$0")/.."

supported="2.16.0 2.18.0"
refused="2.15.4 2.13.5"

for version in $supported; do
    echo "jackson-floor: chirp-sessions-core tests on jackson-core $version"
    mvn -B -ntp -q -pl chirp-sessions-core surefire:test -Djackson.version="$version" \
        -Dsurefire.reportsDirectory="$PWD/chirp-sessions-core/target/surefire-reports-jackson-$version"
done

work=chirp-sessions-core/target/jackson-floor
rm -rf "$work"
mkdir -p "$work"
cat > "$work/Start.java" <<'JAVA'
public class Start {
    public static void main(String[] args) {
        if (args[0].equals("middleware")) {
            new dev.chirp.sessions.SessionMiddleware(
                    dev.chirp.sessions.SessionConfig.builder("jackson-floor-secret-0123456789abcdef").build());
        } else {
            dev.chirp.sessions.json.SessionJson.write(java.util.Map.of("a", 1));
        }
        System.out.println("started");
    }
}
JAVA
for version in $refused; do
    mvn -B -ntp -q dependency:copy -Dartifact="com.fasterxml.jackson.core:jackson-core:$version" -DoutputDirectory="$work"
    for entry in middleware json; do
        out=$(java -cp "chirp-sessions-core/target/classes:$work/jackson-core-$version.jar" "$work/Start.java" "$entry" 2>&1 || true)
        first=$(printf '%s\n' "$out" | sed -n 1p)
        expected="Exception in thread \"main\" dev.chirp.sessions.ConfigurationException: jackson-core must be 2.16 or newer: $version is on the class path"
        if [[ "$first" != "$expected"* ]]; then
            echo "jackson-floor: FAILED: with jackson-core $version, starting through $entry said:" >&2
            printf '%s\n' "$out" | sed -n 1,6p >&2
            exit 1
        fi
    done
done
echo "jackson-floor: core tests pass on ${supported// /, }; ${refused// /, } are refused at startup with a clear message"
