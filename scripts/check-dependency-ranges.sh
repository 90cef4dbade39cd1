#!/usr/bin/env bash
# The library is built against one jackson-core, Lettuce, Tomcat and Jetty, but runs on the application's:
# Spring Boot's BOM sets them (Boot 3.5: jackson-core 2.19, Lettuce 6.6, Tomcat 10.1 or Jetty 12.0; Boot 4.0:
# 2.21, 6.8, Tomcat 11 or Jetty 12.1).
# This runs the tests again on the versions users get:
#  * the servlet filter's contract suite on Tomcat 10.1 (Servlet 6.0) and Jetty 12.0, which Spring Boot 3.5
#    embeds;
#  * chirp-sessions-redis, against real Redis, on the Lettuce of Spring Boot 3.5 and 4.0;
#  * chirp-sessions-core on the oldest jackson-core it supports (JacksonSupport.MINIMUM, 2.16) and on
#    2.18.0 (whose UTF-8 writer option corrupted text, which the core must not depend on); then it checks
#    that older ones are refused at startup with the message that says what to do - through the
#    middleware and through SessionJson - not with a NoSuchMethodError or NoClassDefFoundError on the
#    first request.
# Run after a build (`mvn verify` or `mvn package`): it runs the compiled classes as they are, on other
# versions, rather than compiling against them.
set -euo pipefail
cd "$(dirname "$0")/.."

# `surefire:test` on one module takes the modules it depends on from the local repository: put this
# build's there first (it compiles nothing; core, servlet, httpserver, redis and it are packaged as built).
# On a developer's machine this leaves this version's jars in ~/.m2, as `mvn install` would.
# The Servlet API jar is 6.0 for the Tomcat 10.1 and Jetty 12.0 runs, as in a Spring Boot 3.5 app.
mvn -B -ntp -q -pl chirp-sessions-it -am install -DskipTests

echo "dependency-ranges: the servlet contract suite on Tomcat 10.1 (Servlet 6.0, Spring Boot 3.5's)"
mvn -B -ntp -q -pl chirp-sessions-it surefire:test -Dtomcat.version=10.1.48 -Djakarta.servlet.version=6.0.0 \
    -Dtest=TomcatContractTest
echo "dependency-ranges: the Tomcat contract suite passes on Tomcat 10.1.48"

# -f, not -pl: with -Djetty.version set for the whole reactor, Spring Boot 4's BOM (in the Boot test
# module) would ask for a Jetty 12.0 ee11 BOM, which does not exist.
echo "dependency-ranges: the servlet contract suite on Jetty 12.0 (Spring Boot 3.5's)"
mvn -B -ntp -q -f chirp-sessions-it/pom.xml surefire:test -Djetty.version=12.0.29 -Djakarta.servlet.version=6.0.0 \
    -Dtest='Jetty*Test'
echo "dependency-ranges: the Jetty contract suite passes on Jetty 12.0.29"

for version in 6.6.0.RELEASE 6.8.2.RELEASE; do
    echo "dependency-ranges: chirp-sessions-redis tests on Lettuce $version"
    mvn -B -ntp -q -pl chirp-sessions-redis surefire:test -Dlettuce.version="$version"
done
echo "dependency-ranges: redis tests pass on Lettuce 6.6.0 and 6.8.2"

supported="2.16.0 2.18.0"
refused="2.15.4 2.13.5"

for version in $supported; do
    echo "dependency-ranges: chirp-sessions-core tests on jackson-core $version"
    mvn -B -ntp -q -pl chirp-sessions-core surefire:test -Djackson.version="$version"
done

work=chirp-sessions-core/target/jackson-range
rm -rf "$work"
mkdir -p "$work"
cat > "$work/Start.java" <<'JAVA'
public class Start {
    public static void main(String[] args) {
        if (args[0].equals("middleware")) {
            new dev.chirp.sessions.SessionMiddleware(
                    dev.chirp.sessions.SessionConfig.builder("jackson-range-secret-0123456789abcdef").build());
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
            echo "dependency-ranges: FAILED: with jackson-core $version, starting through $entry said:" >&2
            printf '%s\n' "$out" | sed -n 1,6p >&2
            exit 1
        fi
    done
done
echo "dependency-ranges: core tests pass on ${supported// /, }; ${refused// /, } are refused at startup with a clear message"
