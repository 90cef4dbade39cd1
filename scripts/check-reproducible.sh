#!/usr/bin/env bash
# The release build, checked as Maven Central and a user would see it:
#  1. Two release builds (`-Prelease -Dgpg.skip`) of this tree, in two copies at different paths, give
#     byte-identical files: every jar, sources jar, Javadoc jar and POM that would be published.
#  2. The bundle central-publishing-maven-plugin makes for Central holds exactly the published modules
#     (the BOM's entries that exist in this tree, the parent and the BOM), each with its jar, sources,
#     Javadoc and POM (a tests jar beside core and the auto-configuration, which other modules' tests
#     use), and nothing of the demo, the benchmarks or the test apps.
#  3. Every published jar names its module (module-info.class or Automatic-Module-Name), and every
#     published POM, with its parent, has what Central requires: name, description, url, licences,
#     developers and scm.
# The bundle comes from a real `mvn -Prelease deploy`, pointed at a closed port on 127.0.0.1 so that
# the upload fails after the bundle is written: nothing leaves the machine. Neither build installs
# anything into the local repository.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | sed -n 1p)

work=$(mktemp -d /tmp/chirp-reproducible.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Tracked and new (not ignored) files: what a commit of this tree would hold, without target/.
for copy in first second-copy; do
    mkdir -p "$work/$copy"
    git ls-files -z --cached --others --exclude-standard \
        | (cd "$root" && tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$work/$copy"
done

# The publishing plugin wants credentials for its server id before it bundles; these are never sent.
cat > "$work/settings.xml" <<'XML'
<settings>
  <servers>
    <server><id>central</id><username>reproducibility-check</username><password>unused</password></server>
  </servers>
</settings>
XML

bundle=$work/first/chirp-sessions-bom/target/central-publishing/central-bundle.zip
start=$(date +%s)
case "$version" in
*-SNAPSHOT)
    # central-publishing-maven-plugin sends snapshots straight to a snapshot repository, without a
    # bundle: build 1 only builds, and the files it would publish are compared as they are.
    echo "reproducible: release build 1 of 2 ($version: no Central bundle for a snapshot)"
    if ! (cd "$work/first" && mvn -B -ntp -Prelease -Dgpg.skip -DskipTests verify) > "$work/first.log" 2>&1; then
        grep -E "ERROR|BUILD" "$work/first.log" | sed -n 1,40p
        exit 1
    fi
    ;;
*)
    echo "reproducible: release build 1 of 2, deployed to a closed local port (bundle only)"
    set +e
    (cd "$work/first" && mvn -B -ntp -s "$work/settings.xml" -Prelease -Dgpg.skip -DskipTests \
        -Dmaven.install.skip=true -DcentralBaseUrl=http://127.0.0.1:9 deploy) > "$work/first.log" 2>&1
    status=$?
    set -e
    if [ ! -f "$bundle" ] || ! grep -q "Unable to upload bundle" "$work/first.log"; then
        echo "reproducible: FAILED: the release build did not get as far as the upload (exit $status):"
        grep -E "ERROR|BUILD" "$work/first.log" | sed -n 1,40p
        exit 1
    fi
    ;;
esac
echo "reproducible: build 1 took $(( $(date +%s) - start )) s"

echo "reproducible: release build 2 of 2"
start=$(date +%s)
# Only the published modules this time (the BOM's entries in this tree, and what they need): the first
# build already showed that the others stay out of the bundle.
modules=$(sed -n 's:^ *<artifactId>\(chirp-sessions-[a-z0-9-]*\)</artifactId>$:\1:p' chirp-sessions-bom/pom.xml \
    | grep -vx chirp-sessions-bom | while read -r m; do [ -f "$m/pom.xml" ] && printf '%s,' "$m"; done)
if ! (cd "$work/second-copy" && mvn -B -ntp -Prelease -Dgpg.skip -DskipTests -pl "chirp-sessions-bom,${modules%,}" -am verify) \
        > "$work/second.log" 2>&1; then
    grep -E "ERROR|BUILD" "$work/second.log" | sed -n 1,40p
    exit 1
fi
echo "reproducible: build 2 took $(( $(date +%s) - start )) s"

mkdir "$work/bundle"
if [ -f "$bundle" ]; then
    (cd "$work/bundle" && unzip -q "$bundle")
else
    # A snapshot: lay out what build 1 would publish as the bundle would, checksums included.
    for pom in "$work/first/pom.xml" "$work/first"/chirp-sessions-*/pom.xml; do
        dir=$(dirname "$pom")
        artifact=$(sed -n 's:^  <artifactId>\(.*\)</artifactId>$:\1:p' "$pom" | sed -n 1p)
        grep -q '<chirp.unpublished>true' "$pom" && continue
        out="$work/bundle/dev/chirp/$artifact/$version"
        mkdir -p "$out"
        cp "$pom" "$out/$artifact-$version.pom"
        for f in "$dir/target/$artifact-$version"*.jar; do [ -f "$f" ] && cp "$f" "$out/"; done
    done
    find "$work/bundle" -type f | while read -r f; do
        for sum in md5 sha1 sha256 sha512; do "${sum}sum" "$f" | cut -d' ' -f1 > "$f.$sum"; done
    done
fi

python3 - "$work/bundle" "$work/second-copy" "$version" <<'PY'
import pathlib, re, sys, zipfile
import xml.etree.ElementTree as ET

bundle, second, version = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
N = {"m": "http://maven.apache.org/POM/4.0.0"}
failures = []

# Published = the BOM's entries whose module is in this tree, plus the parent and the BOM itself.
bom = ET.parse(second / "chirp-sessions-bom/pom.xml").getroot()
listed = [d.findtext("m:artifactId", namespaces=N) for d in bom.findall(".//m:dependencyManagement//m:dependency", N)]
published = [a for a in listed if (second / a / "pom.xml").exists()]
missing = [a for a in listed if a not in published]
if missing:
    print("reproducible: in the BOM but not in this tree yet (not checked): " + ", ".join(missing))

files = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
artifacts = [f for f in files if not re.search(r"\.(md5|sha1|sha256|sha512)$", f)]
for f in artifacts:
    for ext in ("md5", "sha1", "sha256", "sha512"):
        if f + "." + ext not in files:
            failures.append(f"{f}: no .{ext} checksum in the bundle")

expected = {f"dev/chirp/{a}/{version}/{a}-{version}.pom" for a in ["chirp-sessions-parent", "chirp-sessions-bom"] + published}
for a in published:
    for suffix in (".jar", "-sources.jar", "-javadoc.jar"):
        expected.add(f"dev/chirp/{a}/{version}/{a}-{version}{suffix}")
allowed_extra = {f"dev/chirp/{a}/{version}/{a}-{version}-tests.jar"
                 for a in ("chirp-sessions-core", "chirp-sessions-redis", "chirp-sessions-spring-boot-autoconfigure")}
for f in sorted(expected - set(artifacts)):
    failures.append(f"missing from the bundle: {f}")
for f in sorted(set(artifacts) - expected - allowed_extra):
    failures.append(f"in the bundle but not published: {f}")

def module_dir(artifact_id):
    return second if artifact_id == "chirp-sessions-parent" else second / artifact_id

# 1. byte for byte against the second build
compared = 0
for f in artifacts:
    artifact_id, name = f.split("/")[2], f.split("/")[-1]
    other = module_dir(artifact_id) / ("pom.xml" if name.endswith(".pom") else "target/" + name)
    if not other.exists():
        failures.append(f"{f}: the second build has no {other.relative_to(second)}")
        continue
    a, b = (bundle / f).read_bytes(), other.read_bytes()
    compared += 1
    if a != b:
        detail = ""
        if name.endswith(".jar"):
            za, zb = zipfile.ZipFile(bundle / f), zipfile.ZipFile(other)
            ia = {i.filename: (i.date_time, i.CRC) for i in za.infolist()}
            ib = {i.filename: (i.date_time, i.CRC) for i in zb.infolist()}
            diff = sorted(n for n in set(ia) | set(ib) if ia.get(n) != ib.get(n))
            detail = "; entries that differ: " + ", ".join(diff[:10]) if diff else "; same entries, other bytes (order?)"
        failures.append(f"{f}: the two builds differ{detail}")

# 2. module names
for a in published:
    jar = bundle / f"dev/chirp/{a}/{version}/{a}-{version}.jar"
    if not jar.exists():
        continue
    with zipfile.ZipFile(jar) as z:
        names = set(z.namelist())
        manifest = z.read("META-INF/MANIFEST.MF").decode()
    if "module-info.class" not in names and "Automatic-Module-Name: dev.chirp.sessions" not in manifest:
        failures.append(f"{jar.name}: neither module-info.class nor an Automatic-Module-Name")

# 3. what Central requires of each POM (the child's own value, or its parent's)
parent = ET.parse(bundle / f"dev/chirp/chirp-sessions-parent/{version}/chirp-sessions-parent-{version}.pom").getroot()
for a in ["chirp-sessions-parent", "chirp-sessions-bom"] + published:
    pom = ET.parse(bundle / f"dev/chirp/{a}/{version}/{a}-{version}.pom").getroot()
    inherits = pom.find("m:parent", N) is not None
    for field in ("name", "description", "url", "licenses/m:license/m:name", "developers/m:developer/m:name",
                  "scm/m:url", "scm/m:connection"):
        path = "m:" + field
        value = pom.findtext(path, namespaces=N) or (parent.findtext(path, namespaces=N) if inherits and field not in ("name", "description") else None)
        if not (value and value.strip()):
            failures.append(f"{a}: no {field.replace('m:', '')} in its POM" + (" or its parent's" if inherits else ""))
    if "SNAPSHOT" in version:
        failures.append(f"{a}: version {version} is a SNAPSHOT, which Central refuses")

if failures:
    print("reproducible: FAILED")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print(f"reproducible: {compared} files identical across two builds; bundle holds exactly {len(published)} modules "
      f"+ parent + BOM ({len(artifacts)} files, each with 4 checksums); every jar names its module; every POM "
      f"has Central's required metadata")
PY
