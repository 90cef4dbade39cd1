package dev.chirp.sessions.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chirp-session keygen}: prints a new random secret. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Print a new random secret (URL-safe base64 of SecureRandom bytes).",
            "--out FILE writes it to a new file only its owner can read (0600).",
            "Example: chirp-session keygen --out secret.txt"})
final class KeygenCommand implements Callable<Integer> {

    static final int MIN_BYTES = 32;
    static final int MAX_BYTES = 1024;

    private final CommandEnvironment environment;

    @Option(names = "--bytes", paramLabel = "BYTES", defaultValue = "32",
            description = "Bytes of entropy, " + MIN_BYTES + " to " + MAX_BYTES + ". Default: ${DEFAULT-VALUE}.")
    private int bytes;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the secret to FILE, created readable by its owner only (0600), instead of "
                + "printing it. An existing FILE is refused unless --force.")
    private Path out;

    @Option(names = "--force", description = "With --out: replace an existing FILE (its permissions become 0600).")
    private boolean force;

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
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        if (out == null) {
            spec.commandLine().getOut().println(text);
        } else {
            write(text + "\n");
        }
        return ChirpSessionCommand.EXIT_OK;
    }

    /**
     * Writes the secret to {@link #out}, created 0600 from the start: creating it with the umask's
     * permissions and narrowing them afterwards would leave a moment in which others may open it.
     */
    private void write(String text) {
        Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        boolean posix = out.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                if (!force) {
                    throw CommandFailure.usage("--out must name a file that does not exist yet: " + out
                            + "; pass --force to replace it, or choose another name");
                }
                Files.delete(out); // recreated below, so the new file is 0600 whatever the old one was
            }
            try (OutputStream file = posix
                    ? Files.newOutputStream(Files.createFile(out, PosixFilePermissions.asFileAttribute(ownerOnly)),
                            StandardOpenOption.WRITE)
                    : Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                file.write(text.getBytes(StandardCharsets.US_ASCII));
            }
        } catch (FileAlreadyExistsException e) {
            throw CommandFailure.usage("--out must name a file that does not exist yet: " + out
                    + "; it appeared while the secret was written, so try again");
        } catch (IOException e) {
            throw CommandFailure.usage("--out must name a file that can be created: " + out + " (" + e
                    + "); choose a writable directory");
        }
    }
}
