package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

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
}
