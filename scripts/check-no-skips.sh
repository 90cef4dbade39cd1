#!/usr/bin/env bash
# Fails when the test run that just ended skipped any test other than the documentation blocks marked
# "<!-- doc-test: skip REASON -->" (DocExamplesTest reports each as skipped with "skipped in the doc:
# REASON"). .ci/run installs every tool the cross-checks need, so there a skip means a check that did
# not run: a missing tool, a broken assumption, a cross-check that gave up.
#
#   scripts/check-no-skips.sh [--since FILE]
#
# Reads every */target/surefire-reports/TEST-*.xml (only those newer than FILE with --since, so reports
# left from an earlier run do not count) and prints the marked doc blocks, their count, and every
# other skipped test.
set -euo pipefail
cd "$(dirname "$0")/.."
since=""
if [ "${1:-}" = "--since" ]; then
    since="$2"
fi
exec /usr/bin/python3 - "$since" <<'PY'
import glob, os, re, sys
import xml.etree.ElementTree as ET

since = sys.argv[1]
cutoff = os.path.getmtime(since) if since else 0

# The blocks DocExamplesTest leaves out: the same rule as its SKIP pattern (the comment right before
# a ```sh block, whitespace between them allowed).
block = re.compile(r"^```sh\n.*?^```$", re.S | re.M)
skip = re.compile(r"<!-- doc-test: skip:? ((?:(?!-->).)+) -->\s*\Z", re.S)
docs = ["README.md"] + sorted(glob.glob("docs/*.md"))
marked = []
for doc in docs:
    text = open(doc, encoding="utf-8").read()
    for m in block.finditer(text):
        s = skip.search(text[:m.start()])
        if s:
            line = text.count("\n", 0, m.start()) + 1
            marked.append((doc, line, " ".join(s.group(1).split())))

def norm(text):
    return " ".join((text or "").split())

doc_skips, other = [], []
reports = [r for r in glob.glob("*/target/surefire-reports/TEST-*.xml") if os.path.getmtime(r) >= cutoff]
for report in sorted(reports):
    for case in ET.parse(report).getroot().iter("testcase"):
        skipped = case.find("skipped")
        if skipped is None:
            continue
        # Surefire puts the assumption's message in the attribute or, for dynamic tests, in the text
        # before the stack trace ("Assumption failed: skipped in the doc: ...\n\tat ...").
        raw = (skipped.get("message") or "") + "\n" + (skipped.text or "")
        raw = re.split(r"\n\s*at ", raw, maxsplit=1)[0]
        message = norm(raw)
        name = "%s.%s" % (case.get("classname"), case.get("name"))
        mark = "skipped in the doc: "
        if case.get("classname", "").endswith(".DocExamplesTest") and mark in message:
            doc_skips.append(message[message.index(mark) + len(mark):])
        else:
            other.append((name, message))

print("marked doc blocks (doc-test: skip): %d" % len(marked))
for doc, line, reason in marked:
    print("  %s:%d  %s" % (doc, line, reason))
print("test reports read: %d; skipped tests: %d (%d marked doc blocks, %d others)"
      % (len(reports), len(doc_skips) + len(other), len(doc_skips), len(other)))
failed = False
for name, message in other:
    print("  SKIPPED: %s: %s" % (name, message))
    failed = True
expected = sorted(reason for _, _, reason in marked)
if sorted(doc_skips) != expected:
    print("  the doc blocks reported as skipped differ from the marked ones:")
    print("    reported: %s" % sorted(doc_skips))
    print("    marked:   %s" % expected)
    failed = True
if not reports:
    print("  no test reports found: run mvn verify first")
    failed = True
if failed:
    print("check-no-skips: FAILED: every tool is installed here, so every test must run")
    sys.exit(1)
print("check-no-skips: only the marked doc blocks were skipped")
PY
