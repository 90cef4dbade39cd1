package dev.chirp.sessions.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a subcommand gets the signing secret: {@code --secret-file FILE}, else the environment variable
 * {@value #ENV}. Never a plain argument, because arguments show in the process list and shell history.
 */
final class SecretSource {

    /** The environment variable that holds the secret. */
    static final String ENV = "CHIRP_SESSION_SECRET";

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "Read the secret from FILE (one trailing newline is ignored). "
                    + "Default: the environment variable " + ENV + ".")
    private Path secretFile;

    // Not offered, only caught: a secret typed as an argument has already leaked, so say why it is refused.
    @Option(names = "--secret", hidden = true, paramLabel = "SECRET")
    private String refusedPlainSecret;

    /**
     * The secret to sign and verify with.
     *
     * @throws CommandFailure if none is configured, or the file cannot be read or is empty
     */
    String secret(CommandEnvironment environment) {
        if (refusedPlainSecret != null) {
            throw CommandFailure.usage("--secret is not accepted: a secret on the command line shows in the "
                    + "process list and shell history; set " + ENV + " or use --secret-file FILE");
        }
        if (secretFile != null) {
            return readSecretFile(secretFile, "--secret-file");
        }
        String fromEnvironment = environment.variable(ENV);
        if (fromEnvironment == null) {
            throw CommandFailure.usage("no secret: set the environment variable " + ENV
                    + " or pass --secret-file FILE");
        }
        if (fromEnvironment.isEmpty()) {
            throw CommandFailure.usage(ENV + " must not be empty; set it to the application's secret key");
        }
        return fromEnvironment;
    }

    /**
     * Reads a secret from a file: UTF-8, with one trailing newline ({@code \n} or {@code \r\n}) removed,
     * because editors and {@code echo} add one that is not part of the secret.
     *
     * @throws CommandFailure if the file cannot be read or holds no secret
     */
    static String readSecretFile(Path file, String option) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CommandFailure.usage(option + " must name an existing file: " + file + "; check the path");
        } catch (CharacterCodingException e) {
            throw CommandFailure.usage(option + " must hold UTF-8 text: " + file + "; store the secret as text");
        } catch (IOException e) {
            throw CommandFailure.usage(option + " must be readable: " + file + " (" + e.getClass().getSimpleName()
                    + "); check its permissions");
        }
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw CommandFailure.usage(option + " must hold a secret: " + file + " is empty; "
                    + "write the secret into it (see 'chirp-session keygen')");
        }
        return text;
    }
}
