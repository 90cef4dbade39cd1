package dev.chirp.sessions.cli;

import dev.chirp.sessions.signing.FlaskSerializer;
import dev.chirp.sessions.signing.Rejection;
import dev.chirp.sessions.signing.SealedSerializer;
import dev.chirp.sessions.signing.SessionCodec;
import dev.chirp.sessions.signing.TimedSerializer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The cookie format of {@code encode}, {@code decode} and {@code inspect}: {@code --format}, the salt of
 * the signed formats and the cookie name the sealed format is bound to.
 */
final class FormatOptions {

    /** The cookie formats, as spelled on the command line. */
    enum Format {
        CHIRP, FLASK, SEALED
    }

    @Option(names = "--format", paramLabel = "F", defaultValue = "chirp",
            description = "The cookie format: chirp (itsdangerous, chirp's), flask (Flask's session cookie; "
                + "JSON in and out is Flask's tagged JSON, e.g. {\" t\": [1, 2]} for a tuple) or sealed "
                + "(encrypted, chirp-sessions sealed v1). Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(names = "--salt", paramLabel = "S",
            description = "The salt mixed into the signing key. Default: itsdangerous (chirp's), or "
                + "cookie-session with --format flask (Flask's). Not used by --format sealed.")
    private String salt;

    @Option(names = "--cookie-name", paramLabel = "NAME", defaultValue = "chirp_session",
            description = "The cookie name a sealed value is bound to (--format sealed only). "
                + "Default: ${DEFAULT-VALUE}.")
    private String cookieName;

    /**
     * The chosen format.
     *
     * @throws CommandFailure if {@code --format} names none
     */
    Format format() {
        try {
            return Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage("--format must be chirp, flask or sealed: '" + format
                    + "'; use chirp for chirp and itsdangerous services");
        }
    }

    /**
     * The other signed format (chirp or flask) under whose profile {@code token} verifies, when the chosen
     * one refused its signature: a Flask cookie decoded without {@code --format flask} (or the reverse)
     * differs only in salt and key derivation, so "signature does not match" alone sends the user looking
     * for the wrong secret. Empty when {@code --salt} was given (the user chose the profile) or for sealed.
     */
    Optional<Format> otherSignedFormatThatVerifies(String token, String secret, List<String> fallbacks, Clock clock) {
        Format chosen = format();
        if (salt != null || chosen == Format.SEALED) {
            return Optional.empty();
        }
        SessionCodec other = chosen == Format.CHIRP
                ? FlaskSerializer.builder(secret).fallbackSecrets(fallbacks).clock(clock).build()
                : TimedSerializer.builder(secret).fallbackSecrets(fallbacks).clock(clock).build();
        // Any age: the question is only whose signature it is.
        Rejection rejection = other.loads(token, Duration.ofDays(36_500)).rejection();
        boolean signed = rejection == null || rejection == Rejection.EXPIRED || rejection == Rejection.SIGNED_IN_FUTURE;
        return signed ? Optional.of(chosen == Format.CHIRP ? Format.FLASK : Format.CHIRP) : Optional.empty();
    }

    /**
     * The codec for the chosen format.
     *
     * @throws CommandFailure if {@code --salt} is given with {@code --format sealed}
     */
    SessionCodec codec(String secret, List<String> fallbacks, Clock clock) {
        switch (format()) {
            case SEALED:
                if (salt != null) {
                    throw CommandFailure.usage("--salt must not be used with --format sealed: '" + salt
                            + "'; the sealed format derives its key with a fixed salt, so drop --salt");
                }
                if (cookieName.isEmpty()) {
                    throw CommandFailure.usage("--cookie-name must not be empty: ''; pass the cookie's name, "
                            + "such as chirp_session");
                }
                return SealedSerializer.builder(secret).fallbackSecrets(fallbacks).cookieName(cookieName)
                        .clock(clock).build();
            case FLASK:
                return FlaskSerializer.builder(secret).fallbackSecrets(fallbacks)
                        .salt(salt == null ? FlaskSerializer.DEFAULT_SALT : salt).clock(clock).build();
            default:
                return TimedSerializer.builder(secret).fallbackSecrets(fallbacks)
                        .salt(salt == null ? TimedSerializer.DEFAULT_SALT : salt).clock(clock).build();
        }
    }
}
