package dev.chirp.sessions.cli;

import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chirp-session keygen}: prints a new random secret. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Print a new random secret (URL-safe base64 of SecureRandom bytes).",
            "Example: (umask 077; chirp-session keygen > secret.txt)"})
final class KeygenCommand implements Callable<Integer> {

    static final int MIN_BYTES = 32;
    static final int MAX_BYTES = 1024;

    private final CommandEnvironment environment;

    @Option(names = "--bytes", paramLabel = "BYTES", defaultValue = "32",
            description = "Bytes of entropy, " + MIN_BYTES + " to " + MAX_BYTES + ". Default: ${DEFAULT-VALUE}.")
    private int bytes;

    @Spec
    private CommandSpec spec;

    KeygenCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw CommandFailure.usage("--bytes must be between " + MIN_BYTES + " and " + MAX_BYTES + ": " + bytes
                    + "; " + MIN_BYTES + " bytes (256 bits) is plenty for HMAC-SHA1");
        }
        byte[] secret = new byte[bytes];
        environment.random().nextBytes(secret);
        spec.commandLine().getOut().println(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        return ChirpSessionCommand.EXIT_OK;
    }
}
