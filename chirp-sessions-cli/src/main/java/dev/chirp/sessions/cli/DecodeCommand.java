package dev.chirp.sessions.cli;

import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.signing.FlaskSerializer;
import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.Rejection;
import dev.chirp.sessions.signing.SessionCodec;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.signing.UnverifiedValue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chirp-session decode}: verifies a cookie value and prints the session as compact JSON. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Verify a cookie value and print the session as compact JSON.",
            "Exits 0 with the JSON on standard output; if the cookie is rejected, prints one line saying why "
                + "on standard error and exits 1. A signing time a few seconds in the future (clock skew "
                + "between servers) is accepted. --format flask prints Flask's tagged JSON; --format sealed "
                + "opens an encrypted cookie."})
final class DecodeCommand implements Callable<Integer> {

    private final CommandEnvironment environment;

    @Mixin
    private SecretSource secretSource;

    @Option(names = "--max-age", paramLabel = "SECONDS", defaultValue = "86400",
            description = "Reject cookies signed more than SECONDS ago. Default: ${DEFAULT-VALUE} (one day, chirp's max_age).")
    private long maxAgeSeconds;

    @Mixin
    private FormatOptions formatOptions;

    @Option(names = "--fallback-secret-file", paramLabel = "F",
            description = "An older secret that still verifies (key rotation); repeat for more, newest first.")
    private List<Path> fallbackSecretFiles = new ArrayList<>();

    @Parameters(paramLabel = "COOKIE",
            description = "The cookie value; 'chirp_session=VALUE' or a pasted Set-Cookie value also work. "
                + "'-' reads it from standard input (keeps it out of the process list).")
    private String cookie;

    @Spec
    private CommandSpec spec;

    DecodeCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        if (maxAgeSeconds < 0) {
            throw CommandFailure.usage("--max-age must be 0 or more seconds: " + maxAgeSeconds
                    + "; pass the session's max age, e.g. 86400");
        }
        List<String> fallbacks = new ArrayList<>();
        for (Path file : fallbackSecretFiles) {
            fallbacks.add(SecretSource.readSecretFile(file, "--fallback-secret-file"));
        }
        String secret = secretSource.secret(environment);
        SessionCodec codec = formatOptions.codec(secret, fallbacks, environment.clock());
        String token = CookieArgument.value(cookie, environment);

        LoadResult result = codec.loads(token, Duration.ofSeconds(maxAgeSeconds));

        PrintWriter err = spec.commandLine().getErr();
        if (!result.isVerified()) {
            String hint = result.rejection() != Rejection.BAD_SIGNATURE ? ""
                    : formatOptions.otherSignedFormatThatVerifies(token, secret, fallbacks, environment.clock())
                            .map(other -> "; it verifies as a " + (other == FormatOptions.Format.FLASK
                                    ? "Flask session cookie" : "chirp cookie") + ": run again with --format "
                                    + other.name().toLowerCase(java.util.Locale.ROOT))
                            .orElse("");
            err.println(ChirpSessionCommand.PREFIX + "cookie rejected: " + reason(result.rejection(), token) + hint);
            return ChirpSessionCommand.EXIT_REJECTED;
        }
        if (!(result.value() instanceof Map)) {
            err.println(ChirpSessionCommand.PREFIX + "cookie rejected: the payload is " + JsonText.typeName(result.value())
                    + ", not a JSON object, so it is not a session");
            return ChirpSessionCommand.EXIT_REJECTED;
        }
        // Flask's tagged JSON keeps tuples, bytes, UUIDs and datetimes apart from lists and strings.
        Object session = formatOptions.format() == FormatOptions.Format.FLASK
                ? FlaskSerializer.tag(result.value()) : result.value();
        spec.commandLine().getOut().println(SessionJson.write(session));
        if (result.signedWithFallbackSecret()) {
            err.println(ChirpSessionCommand.PREFIX + "note: verified with a fallback secret; "
                    + "a server re-issues this cookie under the current secret");
        }
        return ChirpSessionCommand.EXIT_OK;
    }

    private String reason(Rejection rejection, String token) {
        if (formatOptions.format() == FormatOptions.Format.SEALED) {
            switch (rejection) {
                case MALFORMED:
                    return "malformed value (expected sealed v1: URL-safe base64 of 0x01, nonce, ciphertext and tag)";
                case BAD_SIGNATURE:
                    return "does not open (wrong secret or --cookie-name, or the cookie was changed)";
                case EXPIRED:
                    return rejection.description() + ", max age " + maxAgeSeconds + " s";
                default:
                    return rejection.description();
            }
        }
        switch (rejection) {
            case MALFORMED:
                return malformed(token);
            case BAD_SIGNATURE:
                return "signature does not match (wrong secret or salt, or the cookie was changed)";
            case EXPIRED:
                return rejection.description() + signingTime(token) + ", max age " + maxAgeSeconds + " s";
            case SIGNED_IN_FUTURE:
                return rejection.description() + signingTime(token);
            default:
                return rejection.description();
        }
    }

    // The signature may have verified with a timestamp no clock can hold: say so rather than blame the format.
    private static String malformed(String token) {
        String problem = TimedSerializer.loadsUnsafe(token).problem();
        return problem != null && problem.startsWith("timestamp is out of range") ? "malformed value: " + problem
                : "malformed value (expected [.]PAYLOAD.TIMESTAMP.SIGNATURE in URL-safe base64)";
    }

    // Only reached after the signature verified, so the time it claims is the real signing time.
    private String signingTime(String token) {
        UnverifiedValue unverified = TimedSerializer.loadsUnsafe(token);
        if (unverified.signedAt() == null) {
            return unverified.problem() == null ? "" : ": " + unverified.problem();
        }
        long age = Duration.between(unverified.signedAt(), environment.clock().instant()).getSeconds();
        return ": signed at " + unverified.signedAt() + ", " + describeAge(age);
    }

    static String describeAge(long ageSeconds) {
        return ageSeconds >= 0 ? ageSeconds + " s ago" : -ageSeconds + " s in the future";
    }
}
