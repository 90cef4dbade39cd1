package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {

    private final Terminal terminal = new Terminal();

    @Test
    void keygenPrints32RandomBytesAsUrlSafeBase64WithoutPadding() {
        Terminal.Result result = terminal.run("keygen");

        assertThat(result.exitCode()).isZero();
        assertThat(result.line()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(result.line())).hasSize(32);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void keygenPrintsADifferentSecretEachTime() {
        assertThat(terminal.run("keygen").out()).isNotEqualTo(terminal.run("keygen").out());
    }

    @Test
    void keygenNeedsNoSecret() {
        assertThat(new Terminal().run("keygen").exitCode()).isZero();
    }

    @Test
    void keygenPrintsMoreBytesWhenAsked() {
        assertThat(Base64.getUrlDecoder().decode(terminal.run("keygen", "--bytes", "64").line())).hasSize(64);
    }

    @Test
    void keygenRefusesFewerThan32Bytes() {
        Terminal.Result result = terminal.run("keygen", "--bytes", "16");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("chirp-session: --bytes must be between 32 and 1024: 16; "
                + "32 bytes (256 bits) is plenty for HMAC-SHA1\n");
    }

    @Test
    void keygenOutCreatesAFileOnlyItsOwnerCanReadAndPrintsNothing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret.txt");

        Terminal.Result result = terminal.run("keygen", "--out", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String secret = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(secret).matches("[A-Za-z0-9_-]{43}\n");
    }

    @Test
    void keygenOutRefusesToOverwriteUnlessForced(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret.txt");
        Files.writeString(file, "keep me\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Terminal.Result refused = terminal.run("keygen", "--out", file.toString());

        assertThat(refused.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(refused.err()).isEqualTo("chirp-session: --out must name a file that does not exist yet: " + file
                + "; pass --force to replace it, or choose another name\n");
        assertThat(Files.readString(file)).isEqualTo("keep me\n");

        Terminal.Result forced = terminal.run("keygen", "--out", file.toString(), "--force");

        assertThat(forced.exitCode()).isZero();
        assertThat(Files.readString(file)).matches("[A-Za-z0-9_-]{43}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
