package dev.chirp.sessions.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The {@code COOKIE} argument of {@code decode} and {@code inspect}: the bare value, or what people
 * paste — {@code chirp_session=VALUE}, a {@code Set-Cookie} value with attributes, a quoted value — or
 * {@code -} to read it from standard input (a cookie is a credential too, and arguments show in the
 * process list).
 */
final class CookieArgument {

    /** The argument that means "read the cookie from standard input". */
    static final String STDIN = "-";

    private CookieArgument() {
    }

    /**
     * The cookie value named by {@code argument}.
     *
     * @throws CommandFailure if standard input holds no line
     */
    static String value(String argument, CommandEnvironment environment) {
        String raw = argument;
        if (STDIN.equals(argument)) {
            try {
                raw = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw CommandFailure.usage("standard input must be readable: " + e.getMessage());
            }
            if (raw == null) {
                throw CommandFailure.usage("COOKIE '-' must come with the cookie value on standard input: it is empty");
            }
        }
        return strip(raw);
    }

    // A signed value never contains '=', ';', '"' or whitespace, so removing them cannot change a real value.
    static String strip(String raw) {
        String value = raw.trim();
        int semicolon = value.indexOf(';');
        if (semicolon >= 0) {
            value = value.substring(0, semicolon).trim();
        }
        int equals = value.indexOf('=');
        if (equals >= 0) {
            value = value.substring(equals + 1).trim();
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }
}
