package dev.chirp.sessions.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code /usr/bin/python3} for cross-checks against the reference implementations. A test skips
 * only when the tool is absent, checked up front by {@link #assumeModules}; once it is there, anything
 * Python does wrong (a non-zero exit, say itsdangerous refusing a cookie Java wrote, or a timeout) fails
 * the test with Python's output, never skips it.
 */
public final class Python {

    /** Debian's interpreter, where {@code apt-get install python3-itsdangerous} puts the module. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private Python() {
    }

    /**
     * Skips the calling test unless {@link #PYTHON} exists and imports every one of {@code modules}
     * ({@code .ci/run} installs them, so CI never skips here).
     */
    public static void assumeModules(String... modules) {
        Assumptions.assumeTrue(available(modules), () -> "skipped: " + PYTHON + " with " + String.join(", ", modules)
                + " is not installed (Debian: apt-get install " + packages(modules) + "; .ci/run installs them)");
    }

    /** Whether {@link #PYTHON} exists and imports every one of {@code modules}. */
    public static boolean available(String... modules) {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import " + String.join(", ", modules))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs {@code script} with {@code args} and returns its output (stdout and stderr), trimmed. Call
     * {@link #assumeModules} first.
     *
     * @throws AssertionError if Python does not exit with 0 within 60 seconds; the message holds its output
     */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read before waiting: a full pipe would block Python and turn into a timeout.
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("python3 did not finish within 60 s; its output:%n%s", out).isTrue();
        assertThat(process.exitValue()).as("python3 exit status; its output:%n%s", out).isZero();
        return out;
    }

    private static String packages(String... modules) {
        StringBuilder out = new StringBuilder();
        for (String module : modules) {
            out.append(out.length() == 0 ? "" : " ").append("python3-").append(module);
        }
        return out.toString();
    }
}
