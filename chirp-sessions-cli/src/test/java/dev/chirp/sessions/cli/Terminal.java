package dev.chirp.sessions.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code chirp-session} in this process with a chosen environment, clock and standard input. */
final class Terminal {

    static final Instant NOW = Instant.ofEpochSecond(1732700100);
    static final String SECRET = "terminal-test-secret-0123456789abcdef";

    final Map<String, String> env = new HashMap<>();
    Instant now = NOW;
    InputStream stdin = new ByteArrayInputStream(new byte[0]);

    /** A terminal whose environment holds {@link #SECRET} as {@code CHIRP_SESSION_SECRET}. */
    static Terminal withSecret() {
        Terminal terminal = new Terminal();
        terminal.env.put(SecretSource.ENV, SECRET);
        return terminal;
    }

    Terminal stdin(String text) {
        stdin = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Clock clock() {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandEnvironment environment = new CommandEnvironment(env, clock(), stdin, new SecureRandom());
        int exitCode = ChirpSessionCommand.run(environment, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {

        /** Standard output without its final line break. */
        String line() {
            return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }
}
