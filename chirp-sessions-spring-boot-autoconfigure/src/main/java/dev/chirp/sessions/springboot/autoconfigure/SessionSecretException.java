package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Thrown at startup when the session secret is missing, too short or a placeholder; Boot's failure
 * analysis ({@link SessionSecretFailureAnalyzer}) turns it into a message that says which property to
 * set and how to generate a secret. It never contains the secret.
 */
public class SessionSecretException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    /** The fewest bytes a secret may have: 256 bits, the strength of the HMAC-SHA1 key it derives. */
    public static final int MIN_BYTES = 32;

    /** Why a secret was refused. */
    public enum Problem {
        /** Neither the property nor the environment variable is set, or it is blank. */
        MISSING,
        /** Fewer than {@value SessionSecretException#MIN_BYTES} bytes. */
        TOO_SHORT,
        /** A placeholder left from an example, or too few distinct characters to be random. */
        PLACEHOLDER
    }

    // Text a template or example leaves in place of a real secret.
    private static final String[] PLACEHOLDERS = {"${", "changeme", "change-me", "change_me", "replaceme",
        "replace-me", "replace_me", "your-secret", "your_secret", "yoursecret", "placeholder", "example",
        "not-a-secret", "notasecret"};

    private final Problem problem;

    private SessionSecretException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** Why the secret was refused. */
    public Problem problem() {
        return problem;
    }

    /**
     * Returns {@code secret} if it is fit to sign sessions.
     *
     * @throws SessionSecretException if it is missing, shorter than {@value #MIN_BYTES} bytes or a
     *                                placeholder; the message names the rule but never the secret
     */
    public static String requireUsable(String secret) {
        String fix = "; set " + ChirpSessionsAutoConfiguration.SECRET_PROPERTY + " (or the environment variable "
                + ChirpSessionsAutoConfiguration.SECRET_ENVIRONMENT_VARIABLE + ") to at least " + MIN_BYTES
                + " random bytes, for example the output of 'openssl rand -base64 32' or 'chirp-session keygen'";
        if (secret == null || secret.isBlank()) {
            throw new SessionSecretException(Problem.MISSING, ChirpSessionsAutoConfiguration.SECRET_PROPERTY
                    + " must be set: " + (secret == null ? "missing" : "blank") + fix);
        }
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_BYTES) {
            throw new SessionSecretException(Problem.TOO_SHORT, ChirpSessionsAutoConfiguration.SECRET_PROPERTY
                    + " must be at least " + MIN_BYTES + " bytes: " + bytes + " bytes (value hidden)" + fix);
        }
        String lower = secret.toLowerCase(Locale.ROOT);
        for (String placeholder : PLACEHOLDERS) {
            if (lower.contains(placeholder)) {
                throw new SessionSecretException(Problem.PLACEHOLDER, ChirpSessionsAutoConfiguration.SECRET_PROPERTY
                        + " must be a random secret, not a placeholder: it contains \"" + placeholder + "\"" + fix);
            }
        }
        long distinct = secret.chars().distinct().count();
        if (distinct < 8) {
            throw new SessionSecretException(Problem.PLACEHOLDER, ChirpSessionsAutoConfiguration.SECRET_PROPERTY
                    + " must be a random secret, not a placeholder: only " + distinct
                    + " distinct characters (value hidden)" + fix);
        }
        return secret;
    }
}
