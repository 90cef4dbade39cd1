package dev.chirp.sessions.springboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link SessionSecretException} at startup: which property to set and how to generate a
 * secret, instead of a stack trace. Registered in {@code META-INF/spring.factories}.
 */
public class SessionSecretFailureAnalyzer extends AbstractFailureAnalyzer<SessionSecretException> {

    /** Creates the analyzer; Boot does this. */
    public SessionSecretFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SessionSecretException cause) {
        String property = ChirpSessionsAutoConfiguration.SECRET_PROPERTY;
        String variable = ChirpSessionsAutoConfiguration.SECRET_ENVIRONMENT_VARIABLE;
        String description = switch (cause.problem()) {
            case MISSING -> cause.unresolvedPlaceholder()
                    .map(placeholder -> "chirp-sessions signs session cookies with a secret, and none is set: "
                            + property + " is the placeholder " + placeholder + ", and no environment variable, "
                            + "system property or other property resolved it.")
                    .orElse("chirp-sessions signs session cookies with a secret, and none is set: neither the "
                            + "property " + property + " nor the environment variable " + variable + " has a value.");
            case TOO_SHORT -> "The chirp-sessions secret (" + property + " or " + variable + ") is too short: "
                    + cause.getMessage().replaceFirst(";.*", "") + ". A short secret can be guessed, and "
                    + "whoever guesses it can sign any session, as any user.";
            case PLACEHOLDER -> "The chirp-sessions secret (" + property + " or " + variable + ") is not a "
                    + "real secret: " + cause.getMessage().replaceFirst(";.*", "") + ". Anyone who knows the "
                    + "placeholder can sign any session, as any user.";
        };
        String action = "Set " + property + " (for example in application.properties, or better the "
                + "environment variable " + variable + ") to at least " + SessionSecretException.MIN_BYTES
                + " random bytes. Generate one with:\n\n"
                + "    openssl rand -base64 32\n\n"
                + "or with the chirp-session command: chirp-session keygen\n\n"
                + "Give every instance that shares the sessions the same secret, and keep it out of source control.";
        return new FailureAnalysis(description, action, cause);
    }
}
