package dev.chirp.sessions.cli;

/**
 * A failure the user must fix (a missing secret, bad JSON, a bad option value): printed as one line
 * on standard error, without a stack trace, and turned into the given exit code.
 */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A usage error: exit code {@value ChirpSessionCommand#EXIT_USAGE}. */
    static CommandFailure usage(String message) {
        return new CommandFailure(ChirpSessionCommand.EXIT_USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
