package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the shell examples of README.md and docs/*.md as a user pastes them: in order, on a tree that
 * looks like a fresh clone after the README's first command (the CLI and demo jars built, which the
 * reactor guarantees: this module depends on both). The convention, repeated in a comment at the top
 * of each document that has examples:
 *
 * <ul>
 *   <li>A document takes part once it has a {@code <!-- doc-test: ... -->} comment explaining this
 *       convention; the blocks of one without it are reported as skipped, saying so (a document that
 *       another change adds in parallel must not break the build before it is made pasteable).</li>
 *   <li>Every {@code ```sh} block of a document runs, in order, in one bash ({@code set -e}, aliases
 *       on), from a scratch directory in which {@code chirp-sessions-cli} and {@code chirp-sessions-demo}
 *       link to the built modules (so files the examples write stay out of the clone).</li>
 *   <li>A line {@code #   text} (hash, three spaces) is output that must appear, after the output the
 *       previous such line matched; {@code ...} in it matches anything.</li>
 *   <li>A block right after a {@code <!-- doc-test: skip REASON -->} comment does not run.</li>
 *   <li>{@code doc-test: the demo runs on 127.0.0.1:PORT} in a document starts the demo (without a
 *       secret, as the quick start leaves it) before its blocks run.</li>
 *   <li>Every {@code 127.0.0.1:PORT}, {@code localhost:PORT} and {@code --port PORT} is moved to a free
 *       port, the same one for the same number in a document, so the test never needs a fixed port.</li>
 *   <li>A block that runs {@code curl} or {@code python3} is skipped (reported as skipped, with the
 *       reason) when the machine lacks curl or Python's itsdangerous; so are the blocks after it.</li>
 * </ul>
 */
class DocExamplesTest {

    private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
    private static final Pattern BLOCK = Pattern.compile("^```sh\\n(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE);
    private static final Pattern SKIP = Pattern.compile("<!-- doc-test: skip:? ((?:(?!-->).)+) -->\\s*\\z",
            Pattern.DOTALL);
    private static final Pattern DEMO = Pattern.compile("doc-test: the demo runs on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern PORT = Pattern.compile("(127\\.0\\.0\\.1:|localhost:|--port )(\\d{2,5})\\b");
    private static final String MARK = "@@doc-test block ";
    private static final long TIMEOUT_SECONDS = 300;

    @TestFactory
    Stream<DynamicNode> everyShellExampleInTheDocsWorksWhenPastedInOrder() throws IOException {
        for (String jar : List.of("chirp-sessions-cli/target/chirp-session.jar",
                "chirp-sessions-demo/target/chirp-sessions-demo.jar")) {
            Assumptions.assumeTrue(Files.isRegularFile(ROOT.resolve(jar)), () -> jar + " is not built: the doc "
                    + "examples run after 'mvn package' (mvn verify builds it before this test)");
        }
        Assumptions.assumeTrue(has("bash --version"), "bash is not installed");
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path doc : docs) {
            Document document = Document.read(doc);
            if (!document.blocks.isEmpty()) {
                nodes.add(DynamicContainer.dynamicContainer(ROOT.relativize(doc).toString(), document.tests()));
            }
        }
        assertThat(nodes).as("documents with shell examples").isNotEmpty();
        return nodes.stream();
    }

    /** One shell block of a document. */
    private record Block(int number, int line, String code, String skipReason, List<String> expected) {
    }

    /** A document's blocks, run together in one bash on first use. */
    private static final class Document {
        final Path path;
        final String text;
        final List<Block> blocks = new ArrayList<>();
        final Map<String, Integer> ports = new LinkedHashMap<>();
        Integer demoPort;
        String missing;
        Map<Integer, String> outputs;
        String failure;

        private Document(Path path, String text) {
            this.path = path;
            this.text = text;
        }

        static Document read(Path path) throws IOException {
            Document document = new Document(path, Files.readString(path, StandardCharsets.UTF_8));
            Matcher m = BLOCK.matcher(document.text);
            while (m.find()) {
                String before = document.text.substring(0, m.start());
                Matcher skip = SKIP.matcher(before);
                List<String> expected = new ArrayList<>();
                for (String line : m.group(1).split("\n")) {
                    if (line.startsWith("#   ")) {
                        expected.add(line.substring(4).strip());
                    }
                }
                int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
                document.blocks.add(new Block(document.blocks.size() + 1, line, m.group(1),
                        skip.find() ? skip.group(1) : null, expected));
            }
            Matcher demo = DEMO.matcher(document.text);
            if (demo.find()) {
                document.demoPort = document.port(demo.group(1));
            }
            return document;
        }

        List<DynamicTest> tests() {
            return blocks.stream().map(block -> DynamicTest.dynamicTest(
                    "block " + block.number + " (line " + block.line + ")", () -> check(block)))
                    .collect(Collectors.toList());
        }

        private void check(Block block) throws Exception {
            Assumptions.assumeTrue(text.contains("<!-- doc-test:"), () -> path.getFileName() + " has no doc-test "
                    + "comment yet: make its examples pasteable and add the comment (see docs/cli.md)");
            Assumptions.assumeTrue(block.skipReason == null, () -> "skipped in the doc: " + block.skipReason);
            run();
            Assumptions.assumeTrue(outputs.containsKey(block.number) || missing == null,
                    () -> "not run: " + missing);
            String output = outputs.get(block.number);
            if (output == null) {
                fail("block at line " + block.line + " of " + path.getFileName() + " did not run: an earlier block "
                        + "failed\n" + failure);
            }
            String lastBlock = outputs.keySet().stream().max(Integer::compare).orElse(0).toString();
            if (failure != null && lastBlock.equals(String.valueOf(block.number))) {
                fail("block at line " + block.line + " of " + path.getFileName() + " failed (" + failure + "); "
                        + "its output:\n" + output);
            }
            List<String> lines = output.lines().map(l -> l.replace("\r", "").strip()).toList();
            int from = 0;
            for (String expected : block.expected) {
                Pattern pattern = glob(expected);
                int found = -1;
                for (int i = from; i < lines.size(); i++) {
                    if (pattern.matcher(lines.get(i)).matches()) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) {
                    fail("block at line " + block.line + " of " + path.getFileName() + ": expected a line \""
                            + expected + "\" after line " + from + " of its output:\n" + output);
                }
                from = found + 1;
            }
        }

        private synchronized void run() throws Exception {
            if (outputs != null) {
                return;
            }
            outputs = new LinkedHashMap<>();
            StringBuilder script = new StringBuilder("set -e\nshopt -s expand_aliases\n"
                    + "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
            List<Block> runnable = new ArrayList<>();
            for (Block block : blocks) {
                if (block.skipReason != null || !text.contains("<!-- doc-test:")) {
                    continue;
                }
                String lacking = lacking(block.code);
                if (lacking != null) {
                    missing = lacking + " (blocks from line " + block.line + " on)";
                    break;
                }
                runnable.add(block);
            }
            if (runnable.isEmpty()) {
                return;
            }
            if (demoPort != null) {
                Assumptions.assumeTrue(has("curl --version"), "curl is not installed");
                script.append("env -u CHIRP_SESSION_SECRET java -jar chirp-sessions-demo/target/chirp-sessions-demo.jar")
                        .append(" --port ").append(demoPort).append(" >/dev/null 2>&1 &\n")
                        .append("for i in $(seq 300); do curl -sf http://127.0.0.1:").append(demoPort)
                        .append("/health >/dev/null && break; sleep 0.2; done\n");
            }
            for (Block block : runnable) {
                script.append("echo '").append(MARK).append(block.number).append("@@'\n")
                        .append(withFreePorts(block.code)).append('\n');
            }
            script.append("echo '").append(MARK).append("end@@'\n");

            Path scratch = Files.createTempDirectory("chirp-doc-test-");
            Files.createSymbolicLink(scratch.resolve("chirp-sessions-cli"), ROOT.resolve("chirp-sessions-cli"));
            Files.createSymbolicLink(scratch.resolve("chirp-sessions-demo"), ROOT.resolve("chirp-sessions-demo"));
            Path file = scratch.resolve("doc-test.sh");
            Files.writeString(file, script, StandardCharsets.UTF_8);
            ProcessBuilder bash = new ProcessBuilder("bash", file.toString()).directory(scratch.toFile())
                    .redirectErrorStream(true);
            bash.environment().remove("CHIRP_SESSION_SECRET");
            Process process = bash.start();
            byte[] bytes;
            try {
                process.getOutputStream().close();
                bytes = process.getInputStream().readAllBytes();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    failure = "timed out after " + TIMEOUT_SECONDS + " s";
                }
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String output = new String(bytes, StandardCharsets.UTF_8);
            int current = -1;
            StringBuilder text = new StringBuilder();
            boolean ended = false;
            for (String line : output.split("\n", -1)) {
                if (line.startsWith(MARK)) {
                    if (current > 0) {
                        outputs.put(current, text.toString());
                    }
                    text.setLength(0);
                    String id = line.substring(MARK.length(), line.length() - 2);
                    ended = id.equals("end");
                    current = ended ? -1 : Integer.parseInt(id);
                } else if (current > 0) {
                    text.append(line).append('\n');
                }
            }
            if (current > 0) {
                outputs.put(current, text.toString());
            }
            if (!ended && failure == null) {
                failure = "bash exited with " + process.exitValue() + " (set -e: a command failed)";
            }
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        private String withFreePorts(String code) {
            Matcher m = PORT.matcher(code);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + port(m.group(2))));
            }
            m.appendTail(out);
            return out.toString();
        }

        private int port(String number) {
            if (number.equals("0")) {
                return 0;
            }
            return ports.computeIfAbsent(number, n -> freePort());
        }
    }

    /** What the block needs that this machine lacks, or {@code null}. */
    private static String lacking(String code) {
        if (code.contains("curl ") && !has("curl --version")) {
            return "curl is not installed";
        }
        if (code.contains("python3") && !has("python3 -c 'import itsdangerous'")) {
            return "python3 with itsdangerous is not installed (Debian: python3-itsdangerous; .ci/run installs it)";
        }
        return null;
    }

    private static boolean has(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command + " >/dev/null 2>&1").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Pattern glob(String expected) {
        StringBuilder regex = new StringBuilder();
        int from = 0;
        int dots;
        while ((dots = expected.indexOf("...", from)) >= 0) {
            regex.append(Pattern.quote(expected.substring(from, dots))).append(".*");
            from = dots + 3;
        }
        regex.append(Pattern.quote(expected.substring(from)));
        return Pattern.compile(regex.toString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
