package dev.chirp.sessions.cli;

import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the command reads from the world besides its arguments — environment variables, the clock,
 * standard input and randomness — so that tests can pass their own.
 *
 * @param variables the environment variables
 * @param clock     the clock for signing times and ages
 * @param stdin     standard input
 * @param random    the source of new secrets
 */
record CommandEnvironment(Map<String, String> variables, Clock clock, InputStream stdin, SecureRandom random) {

    CommandEnvironment {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(random, "random");
    }

    /** The process' real environment, system clock, standard input and a strong random source. */
    static CommandEnvironment system() {
        return new CommandEnvironment(System.getenv(), Clock.systemUTC(), System.in, new SecureRandom());
    }

    /** The value of an environment variable, or {@code null} if it is not set. */
    String variable(String name) {
        return variables.get(name);
    }
}
