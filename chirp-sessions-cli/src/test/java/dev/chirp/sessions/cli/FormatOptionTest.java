package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.FlaskSerializer;
import dev.chirp.sessions.signing.SealedSerializer;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --format chirp|flask|sealed} on encode, decode and inspect. */
class FormatOptionTest {

    private final Terminal terminal = Terminal.withSecret();

    private SealedSerializer sealed(String cookieName) {
        return SealedSerializer.builder(Terminal.SECRET).cookieName(cookieName)
                .clock(Clock.fixed(Terminal.NOW, ZoneOffset.UTC)).build();
    }

    @Test
    void sealedRoundTripsThroughEncodeAndDecode() {
        Terminal.Result encoded = terminal.stdin("{\"user\":\"ana\"}").run("encode", "--format", "sealed");
        assertThat(encoded.exitCode()).as(encoded.toString()).isZero();
        String cookie = encoded.out().trim();
        assertThat(sealed("chirp_session").loads(cookie).value()).isEqualTo(Map.of("user", "ana"));

        Terminal.Result decoded = Terminal.withSecret().run("decode", "--format", "sealed", cookie);
        assertThat(decoded.out()).isEqualTo("{\"user\":\"ana\"}\n");
    }

    @Test
    void sealedDecodeRefusesAnotherCookieNameWithOneLine() {
        String cookie = sealed("app").dumps(Map.of("a", 1), Terminal.NOW);
        assertThat(terminal.run("decode", "--format", "sealed", "--cookie-name", "app", cookie).out())
                .isEqualTo("{\"a\":1}\n");
        Terminal.Result refused = Terminal.withSecret().run("decode", "--format", "sealed", cookie);
        assertThat(refused.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
        assertThat(refused.err()).isEqualTo("chirp-session: cookie rejected: does not open (wrong secret or "
                + "--cookie-name, or the cookie was changed)\n");
    }

    @Test
    void inspectSaysASealedCookieIsSealedAndShowsNothingElse() {
        String cookie = sealed("chirp_session").dumps(Map.of("secret_note", "hidden"), Terminal.NOW);
        for (Terminal.Result result : new Terminal.Result[] {new Terminal().run("inspect", cookie),
            new Terminal().run("inspect", "--format", "sealed", cookie)}) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).startsWith("sealed:").doesNotContain("secret_note").doesNotContain("hidden")
                    .doesNotContain(String.valueOf(Terminal.NOW.getEpochSecond()));
        }
    }

    @Test
    void flaskDecodePrintsFlasksTaggedJson() {
        String cookie = FlaskSerializer.builder(Terminal.SECRET).build().dumps(
                Map.of("_flashes", java.util.List.of(java.util.List.of("message", "Hi"))), Terminal.NOW);
        Terminal.Result result = terminal.run("decode", "--format", "flask", cookie);
        assertThat(result.out()).isEqualTo("{\"_flashes\":[{\" t\":[\"message\",\"Hi\"]}]}\n");
        assertThat(Terminal.withSecret().run("decode", cookie).exitCode()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
    }

    @Test
    void flaskEncodeReadsTaggedJsonAndWritesFlasksCookie() {
        Terminal.Result encoded = terminal.stdin("{\"b\":{\" b\":\"aGk=\"},\"u\":{\" u\":\"12345678123456781234567812345678\"}}")
                .run("encode", "--format", "flask");
        assertThat(encoded.exitCode()).as(encoded.toString()).isZero();
        Object value = FlaskSerializer.builder(Terminal.SECRET).clock(Clock.fixed(Terminal.NOW, ZoneOffset.UTC)).build()
                .loads(encoded.out().trim(), null).value();
        assertThat((byte[]) ((Map<?, ?>) value).get("b")).containsExactly('h', 'i');
        assertThat(((Map<?, ?>) value).get("u")).isEqualTo(java.util.UUID.fromString("12345678-1234-5678-1234-567812345678"));
    }

    @Test
    void refusesAnUnknownFormatAndSaltWithSealed() {
        Terminal.Result unknown = terminal.run("decode", "--format", "rails", "x.y.z");
        assertThat(unknown.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(unknown.err()).contains("--format must be chirp, flask or sealed: 'rails'");
        Terminal.Result salt = Terminal.withSecret().run("decode", "--format", "sealed", "--salt", "s", "x");
        assertThat(salt.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(salt.err()).contains("--salt must not be used with --format sealed");
    }
}
