package dev.chirp.sessions.cli;

import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.signing.FlaskSerializer;
import dev.chirp.sessions.signing.SessionCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chirp-session encode}: reads one JSON object on standard input and prints it as a signed cookie value. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Sign a session: JSON object on standard input, cookie value out.",
            "The value is stamped with the current time and written as chirp (itsdangerous "
                + "URLSafeTimedSerializer) writes it, compressed when that makes it shorter."})
final class EncodeCommand implements Callable<Integer> {

    // The library's own threshold (SessionConfig warns below it); HMAC-SHA1 keys shorter than this are
    // easier to guess offline from one cookie.
    static final int WEAK_SECRET_BYTES = 32;
    // Browsers drop a whole Set-Cookie header over about 4096 bytes; the name and attributes need room too.
    private static final int COOKIE_VALUE_WARNING_BYTES = 3900;

    private final CommandEnvironment environment;

    @Mixin
    private SecretSource secretSource;

    @Mixin
    private FormatOptions formatOptions;

    @Spec
    private CommandSpec spec;

    EncodeCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        String secret = secretSource.secret(environment);
        SessionCodec codec = formatOptions.codec(secret, List.of(), environment.clock());
        Object session = readSession();
        if (formatOptions.format() == FormatOptions.Format.FLASK) {
            try {
                session = FlaskSerializer.untag(session);
            } catch (IllegalArgumentException e) {
                throw CommandFailure.usage("standard input must be Flask's tagged JSON: " + e.getMessage()
                        + "; write tags as Flask does, e.g. {\" b\": \"aGk=\"} for b'hi'");
            }
        }
        String cookie;
        try {
            cookie = codec.dumps(session, environment.clock().instant());
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage("standard input must be a session of JSON values: " + e.getMessage());
        }
        spec.commandLine().getOut().println(cookie);
        int secretBytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (secretBytes < WEAK_SECRET_BYTES) {
            spec.commandLine().getErr().println(ChirpSessionCommand.PREFIX + "warning: the secret is " + secretBytes
                    + " bytes, shorter than " + WEAK_SECRET_BYTES + ", which makes offline guessing easier; "
                    + "generate one with 'chirp-session keygen'");
        }
        if (cookie.length() > COOKIE_VALUE_WARNING_BYTES) {
            spec.commandLine().getErr().println(ChirpSessionCommand.PREFIX + "warning: the cookie value is "
                    + cookie.length() + " bytes; browsers drop cookies over about 4096 bytes with name and attributes");
        }
        return ChirpSessionCommand.EXIT_OK;
    }

    private Object readSession() {
        Object value;
        try {
            value = SessionJson.read(environment.stdin().readAllBytes());
        } catch (IOException e) {
            throw CommandFailure.usage("standard input must be one JSON object: " + e.getMessage()
                    + "; fix the JSON and try again");
        }
        if (!(value instanceof Map)) {
            throw CommandFailure.usage("standard input must be one JSON object: got " + JsonText.typeName(value)
                    + "; a session is an object such as {\"user_id\": 42}");
        }
        return value;
    }
}
