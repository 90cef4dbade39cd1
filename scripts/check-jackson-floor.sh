#!/usr/bin/env bash
# chirp-sessions-core is built with one jackson-core but runs on the application's: Spring Boot's BOM sets
# it (Boot 3.3: 2.17, 3.5: 2.19, 4.0: 2.21). The core supports 2.16 and newer (JacksonSupport.MINIMUM).
# This runs the core's whole test suite on the oldest supported jackson-core, then checks that an older one
# is refused at startup with the message that says what to do - not a NoSuchFieldError on the first request.
# Run after a build (`mvn verify` or `mvn package`), which compiles the tests this runs.
set -euo pipefail
cd "$(dirname "$0")/.."

floor=2.16.0
older=2.15.4

echo "jackson-floor: chirp-sessions-core tests on jackson-core $floor"
mvn -B -ntp -q -pl chirp-sessions-core surefire:test -Djackson.version="$floor" \
    -Dsurefire.reportsDirectory="$PWD/chirp-sessions-core/target/surefire-reports-jackson-$floor"

work=chirp-sessions-core/target/jackson-floor
rm -rf "$work"
mvn -B -ntp -q dependency:copy -Dartifact="com.fasterxml.jackson.core:jackson-core:$older" -DoutputDirectory="$work"
cat > "$work/Start.java" <<'JAVA'
public class Start {
    public static void main(String[] args) {
        new dev.chirp.sessions.SessionMiddleware(
                dev.chirp.sessions.SessionConfig.builder("jackson-floor-secret-0123456789abcdef").build());
        System.out.println("started");
    }
}
JAVA
out=$(java -cp "chirp-sessions-core/target/classes:$work/jackson-core-$older.jar" "$work/Start.java" 2>&1 || true)
expected="ConfigurationException: jackson-core must be 2.16 or newer: $older is on the class path"
if [[ "$out" != *"$expected"* ]]; then
    echo "jackson-floor: FAILED: with jackson-core $older, startup said:" >&2
    echo "$out" | sed -n 1,5p >&2
    exit 1
fi
echo "jackson-floor: core tests pass on $floor; $older is refused at startup with a clear message"
