package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        /**
         * Neither the property nor the environment variable is set, it is blank, or it is a {@code ${...}}
         * placeholder that nothing resolved.
         */
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

    // Boot binds a placeholder it cannot resolve as the literal text "${NAME}". Only a name made of
    // property-name characters is shown in messages: anything else could be part of a real secret.
    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z0-9_.\\-\\[\\]]{1,100}");

    private final Problem problem;
    private final String unresolvedPlaceholder;

    private SessionSecretException(Problem problem, String message) {
        this(problem, message, null);
    }

    private SessionSecretException(Problem problem, String message, String unresolvedPlaceholder) {
        super(message);
        this.problem = problem;
        this.unresolvedPlaceholder = unresolvedPlaceholder;
    }

    /** Why the secret was refused. */
    public Problem problem() {
        return problem;
    }

    /**
     * The {@code ${...}} placeholder that nothing resolved (for {@code chirp.sessions.secret=${CHIRP_SESSION_SECRET}}
     * with the variable unset: {@code ${CHIRP_SESSION_SECRET}}; {@code ${...}} when the text inside does
     * not look like a property name), or empty when the secret was refused for another reason.
     */
    public Optional<String> unresolvedPlaceholder() {
        return Optional.ofNullable(unresolvedPlaceholder);
    }

    /**
     * Returns {@code secret} if it is fit to sign sessions.
     *
     * @throws SessionSecretException if it is missing, an unresolved {@code ${...}} placeholder (reported
     *                                as missing, whatever its length), shorter than {@value #MIN_BYTES}
     *                                bytes or a placeholder; the message names the rule but never the secret
     */
    public static String requireUsable(String secret) {
        String fix = "; set " + ChirpSessionsAutoConfiguration.SECRET_PROPERTY + " (or the environment variable "
                + ChirpSessionsAutoConfiguration.SECRET_ENVIRONMENT_VARIABLE + ") to at least " + MIN_BYTES
                + " random bytes, for example the output of 'openssl rand -base64 32' or 'chirp-session keygen'";
        if (secret == null || secret.isBlank()) {
            throw new SessionSecretException(Problem.MISSING, ChirpSessionsAutoConfiguration.SECRET_PROPERTY
                    + " must be set: " + (secret == null ? "missing" : "blank") + fix);
        }
        Matcher unresolved = UNRESOLVED.matcher(secret);
        if (unresolved.find()) {
            String placeholder = PROPERTY_NAME.matcher(unresolved.group(1)).matches()
                    ? "${" + unresolved.group(1) + "}" : "${...}";
            throw new SessionSecretException(Problem.MISSING, ChirpSessionsAutoConfiguration.SECRET_PROPERTY
                    + " must be set: the placeholder " + placeholder + " was not resolved" + fix, placeholder);
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
