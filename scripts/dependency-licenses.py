#!/usr/bin/env python3
"""The runtime dependencies of every published module and their licences.

    scripts/dependency-licenses.py           check: fails if a licence is not allowed, or if
                                             docs/dependencies.md is not what this script writes
    scripts/dependency-licenses.py --write   writes docs/dependencies.md

Published modules are the entries of chirp-sessions-bom/pom.xml that exist in this tree. Their runtime
dependencies (compile and runtime scope, optional ones included: an application that turns a feature on
gets them) come from `mvn dependency:list`, run offline on the reactor; each licence is read from the
dependency's POM in the local repository, or its parent's when the POM names none. Nothing is fetched:
Maven already downloaded these POMs to build. Run it after a build (`mvn package` or `mvn verify`).
"""
import os
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "dependencies.md"
N = {"m": "http://maven.apache.org/POM/4.0.0"}

# Licences a runtime dependency of an Apache-2.0 library may have. Permissive licences ask only for
# notices; the weak-copyleft ones (EPL, MPL, CDDL) cover the dependency's own files and allow using it,
# unmodified, as a separate jar in a project under any licence (the Apache Software Foundation's
# "category B"). Our jars never copy a dependency's code in. GPL, LGPL and AGPL, alone, are not here:
# they would put conditions on the applications that use chirp-sessions.
ALLOWED = {
    "Apache-2.0": "permissive; the project's own licence",
    "MIT": "permissive",
    "MIT-0": "permissive",
    "BSD-2-Clause": "permissive",
    "BSD-3-Clause": "permissive",
    "ISC": "permissive",
    "UPL-1.0": "permissive",
    "CC0-1.0": "public-domain dedication",
    "Public-Domain": "no rights reserved",
    "EPL-1.0": "weak copyleft on the dependency's own files; fine as a separate jar",
    "EPL-2.0": "weak copyleft on the dependency's own files; fine as a separate jar",
    "MPL-2.0": "weak copyleft on the dependency's own files; fine as a separate jar",
    "CDDL-1.0": "weak copyleft on the dependency's own files; fine as a separate jar",
    "CDDL-1.1": "weak copyleft on the dependency's own files; fine as a separate jar",
}

# How POMs spell licences, to SPDX identifiers. Order matters: the first match wins.
SPELLINGS = [
    (r"\bmit[- ]0\b|mit no attribution", "MIT-0"),
    (r"apache|asf[- ]?2|\basl\b", "Apache-2.0"),
    (r"\bmit\b|bouncy castle", "MIT"),
    (r"bsd[- ]?2|2-clause|simplified bsd|freebsd", "BSD-2-Clause"),
    (r"bsd[- ]?3|3-clause|new bsd|revised bsd|modified bsd|eclipse distribution license|\bedl\b", "BSD-3-Clause"),
    (r"^(the )?bsd( license)?$", "BSD-3-Clause"),
    (r"classpath exception|\bcpe\b", "GPL-2.0-with-classpath-exception"),
    (r"lesser general public|\blgpl", "LGPL"),
    (r"affero|\bagpl", "AGPL"),
    (r"general public license|\bgpl", "GPL"),
    (r"eclipse public license.*2|\bepl[- ]?2|epl-2", "EPL-2.0"),
    (r"eclipse public license.*1|\bepl[- ]?1", "EPL-1.0"),
    (r"mozilla public license.*2|\bmpl[- ]?2", "MPL-2.0"),
    (r"cddl.*1\.1|common development and distribution license.*1\.1", "CDDL-1.1"),
    (r"cddl|common development and distribution license", "CDDL-1.0"),
    (r"\bisc\b", "ISC"),
    (r"universal permissive", "UPL-1.0"),
    (r"cc0|creative commons zero", "CC0-1.0"),
    (r"public domain", "Public-Domain"),
]


def spdx(name, url):
    text = f"{name or ''} {url or ''}".strip().lower()
    for pattern, ident in SPELLINGS:
        if re.search(pattern, (name or "").strip().lower()) or (not name and re.search(pattern, text)):
            return ident
    # Some POMs give only a recognisable address.
    if url and "apache.org/licenses/license-2.0" in url.lower():
        return "Apache-2.0"
    if url and "opensource.org/licenses/mit" in url.lower():
        return "MIT"
    return None


def local_repository():
    configured = os.environ.get("MAVEN_REPO_LOCAL")
    return pathlib.Path(configured) if configured else pathlib.Path.home() / ".m2" / "repository"


def pom_path(repo, group, artifact, version):
    return repo / group.replace(".", "/") / artifact / version / f"{artifact}-{version}.pom"


def licences_of(repo, group, artifact, version, depth=0):
    """[(name, url)] from the POM, or from the nearest parent that names any."""
    path = pom_path(repo, group, artifact, version)
    if not path.exists():
        raise SystemExit(f"dependency-licenses: {group}:{artifact}:{version} has no POM at {path}; "
                         "build first (mvn -DskipTests package) so Maven downloads it")
    root = ET.parse(path).getroot()
    ns = N if root.tag.startswith("{") else {"m": ""}
    q = (lambda p: p) if ns["m"] else (lambda p: p.replace("m:", ""))
    found = [(l.findtext(q("m:name"), namespaces=ns), l.findtext(q("m:url"), namespaces=ns))
             for l in root.findall(q("m:licenses/m:license"), ns)]
    if found or depth > 10:
        return found
    parent = root.find(q("m:parent"), ns)
    if parent is None:
        return []
    return licences_of(repo, parent.findtext(q("m:groupId"), namespaces=ns),
                       parent.findtext(q("m:artifactId"), namespaces=ns),
                       parent.findtext(q("m:version"), namespaces=ns), depth + 1)


def published_modules():
    bom = ET.parse(ROOT / "chirp-sessions-bom" / "pom.xml").getroot()
    listed = [d.findtext("m:artifactId", namespaces=N)
              for d in bom.findall(".//m:dependencyManagement//m:dependency", N)]
    return [a for a in listed if (ROOT / a / "pom.xml").exists()]


LINE = re.compile(r"^\s*([\w.\-]+):([\w.\-]+):([\w.\-]+)(?::([\w.\-]+))?:([\w.\-]+):(compile|runtime)(\s+\(optional\))?")


def runtime_dependencies(modules):
    out = "target/runtime-dependencies.txt"
    # test-compile, so that the reactor hands out the modules' classes and test classes (a goal alone, in
    # Maven 3.8, finds no
    # reactor artifact); up to date after a build, it compiles nothing.
    command = ["mvn", "-B", "-ntp", "-q", "-o", "-pl", ",".join(modules), "test-compile",
               "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:list",
               "-DincludeScope=runtime", "-DexcludeGroupIds=dev.chirp", f"-DoutputFile={out}",
               "-DoutputAbsoluteArtifactFilename=false", "-Dsort=true"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("dependency-licenses: mvn dependency:list failed (build first: mvn -DskipTests package)")
    found = {}
    for module in modules:
        for line in (ROOT / module / out).read_text().splitlines():
            m = LINE.match(line)
            if m:
                group, artifact, _type, _classifier, version, scope, optional = m.groups()
                found.setdefault(module, []).append((group, artifact, version, scope, bool(optional)))
    return found


def render(modules, deps, repo):
    rows, problems = {}, []
    for module in modules:
        for group, artifact, version, scope, optional in deps.get(module, []):
            key = (group, artifact, version)
            if key not in rows:
                named = licences_of(repo, group, artifact, version)
                ids = [spdx(n, u) for n, u in named]
                if not named:
                    problems.append(f"{group}:{artifact}:{version}: its POM and its parents name no licence")
                for (n, u), i in zip(named, ids):
                    if i is None:
                        problems.append(f"{group}:{artifact}:{version}: unknown licence name {n!r} ({u}); "
                                        "read it, then add its spelling to SPELLINGS in this script")
                if named and all(i is not None for i in ids) and not any(i in ALLOWED for i in ids):
                    problems.append(f"{group}:{artifact}:{version}: {' / '.join(ids)} is not allowed for a "
                                    "runtime dependency of an Apache-2.0 library (see ALLOWED in this script)")
                rows[key] = {"ids": ids, "names": [n for n, _ in named], "users": [], "optional": True}
            row = rows[key]
            row["users"].append(module.removeprefix("chirp-sessions-") + (" (optional)" if optional else ""))
            row["optional"] = row["optional"] and optional
    lines = [
        "# Runtime dependencies and their licences",
        "",
        "<!-- Written by scripts/dependency-licenses.py --write; do not edit. .ci/run fails when this file",
        "     is not what the script writes, or when a licence is not in the script's allow-list. -->",
        "",
        "chirp-sessions is licensed under the [Apache License 2.0](../LICENSE). These are the compile- and",
        "runtime-scope dependencies, direct and transitive, of every published module (the modules the BOM",
        "lists), at the versions this build resolves; \"optional\" ones are only on an application's class path",
        "when it adds them itself (the Spring Boot auto-configuration turns each feature on when its library is",
        "there). Provided and test dependencies (the Servlet API, Jetty, Tomcat, JUnit...) are not shipped and",
        "not listed. Spring Boot applications get Spring's, Lettuce's and jackson-core's versions from Spring",
        "Boot's own BOM instead; the licences are the same.",
        "",
        "Every licence below is one of those the check allows: " + ", ".join(sorted(ALLOWED)) + ". Where a",
        "POM names several licences, they are offered as a choice (as Jetty's and Jakarta's are), and one",
        "allowed licence is enough. The reasons for the list are in `scripts/dependency-licenses.py`.",
        "",
        "Modules: " + ", ".join(f"`{m}`" for m in modules) + ".",
        "",
        "| dependency | version | licence (SPDX) | licence as the POM names it | used by |",
        "| --- | --- | --- | --- | --- |",
    ]
    for (group, artifact, version), row in sorted(rows.items()):
        ids = " / ".join(i or "?" for i in row["ids"]) or "?"
        lines.append(f"| `{group}:{artifact}` | {version} | {ids} | {'; '.join(n or '' for n in row['names'])} | "
                     f"{', '.join(sorted(set(row['users'])))} |")
    lines.append("")
    return "\n".join(lines), problems, len(rows)


def main():
    write = "--write" in sys.argv[1:]
    modules = published_modules()
    deps = runtime_dependencies(modules)
    text, problems, count = render(modules, deps, local_repository())
    if problems:
        print("dependency-licenses: FAILED")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    if write:
        DOC.write_text(text)
        print(f"dependency-licenses: wrote {DOC.relative_to(ROOT)}: {count} dependencies of {len(modules)} modules")
        return
    if not DOC.exists() or DOC.read_text() != text:
        print(f"dependency-licenses: FAILED: {DOC.relative_to(ROOT)} is not what the build resolves; "
              "run scripts/dependency-licenses.py --write and commit it")
        sys.exit(1)
    print(f"dependency-licenses: {count} runtime dependencies of {len(modules)} published modules, "
          "every licence allowed; docs/dependencies.md is current")


if __name__ == "__main__":
    main()
