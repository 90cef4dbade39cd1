package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeCommandTest {

    @TempDir
    Path dir;

    private final Terminal terminal = Terminal.withSecret();

    private LoadResult load(String secret, String salt, String token) {
        return TimedSerializer.builder(secret).salt(salt).clock(terminal.clock()).build().loads(token);
    }

    @Test
    void encodePrintsACookieValueThatVerifiesWithTheSameSecretAndTime() {
        Terminal.Result result = terminal.stdin("{\"user_id\": 42, \"name\": \"alice\"}\n").run("encode");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        LoadResult loaded = load(Terminal.SECRET, TimedSerializer.DEFAULT_SALT, result.line());
        assertThat(loaded.isVerified()).isTrue();
        assertThat(loaded.value()).isEqualTo(Map.of("user_id", 42, "name", "alice"));
        assertThat(loaded.signedAt()).isEqualTo(Terminal.NOW);
    }

    @Test
    void encodeKeepsKeyOrderBigIntegersFloatsAndNonAsciiText() {
        String json = "{\"z\":1,\"a\":123456789012345678901234567890,\"f\":1e-05,\"t\":1732700000.1234567,"
                + "\"s\":\"Grüße 🍪\",\"nested\":{\"list\":[1,[2,{\"x\":null}],true]}}";

        Terminal.Result result = terminal.stdin(json).run("encode");

        Object value = load(Terminal.SECRET, TimedSerializer.DEFAULT_SALT, result.line()).value();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("z", 1);
        expected.put("a", new BigInteger("123456789012345678901234567890"));
        expected.put("f", 1e-05);
        expected.put("t", 1732700000.1234567);
        expected.put("s", "Grüße 🍪");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("x", null);
        expected.put("nested", Map.of("list", List.of(1, List.of(2, inner), true)));
        assertThat(value).isEqualTo(expected);
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) value).keySet())).containsExactly("z", "a", "f", "t", "s", "nested");
    }

    @Test
    void encodeCompressesALargeRepetitiveSession() {
        Terminal.Result result = terminal.stdin("{\"history\":[" + "\"/cart\",".repeat(100) + "\"/\"]}").run("encode");

        assertThat(result.line()).startsWith(".");
        assertThat(load(Terminal.SECRET, TimedSerializer.DEFAULT_SALT, result.line()).compressed()).isTrue();
    }

    @Test
    void encodeSignsWithTheGivenSalt() {
        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode", "--salt", "chirp.session");

        assertThat(load(Terminal.SECRET, "chirp.session", result.line()).isVerified()).isTrue();
        assertThat(load(Terminal.SECRET, TimedSerializer.DEFAULT_SALT, result.line()).isVerified()).isFalse();
    }

    @Test
    void encodeReadsTheSecretFileWithoutItsTrailingNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("secret.txt"), "file-secret\n");
        terminal.env.clear();

        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode", "--secret-file", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(load("file-secret", TimedSerializer.DEFAULT_SALT, result.line()).isVerified()).isTrue();
    }

    @Test
    void encodeTrimsOnlyOneTrailingWindowsNewlineFromTheSecretFile() throws Exception {
        Path file = Files.writeString(dir.resolve("secret.txt"), " spaced secret \r\n");

        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode", "--secret-file", file.toString());

        assertThat(load(" spaced secret ", TimedSerializer.DEFAULT_SALT, result.line()).isVerified()).isTrue();
    }

    @Test
    void encodePrefersTheSecretFileOverTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("secret.txt"), "file-secret");

        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode", "--secret-file", file.toString());

        assertThat(load("file-secret", TimedSerializer.DEFAULT_SALT, result.line()).isVerified()).isTrue();
    }

    @Test
    void encodeWithoutAnySecretExitsTwoAndSaysWhereToPutOne() {
        Terminal.Result result = new Terminal().stdin("{\"a\":1}").run("encode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo(
                "chirp-session: no secret: set the environment variable CHIRP_SESSION_SECRET or pass --secret-file FILE\n");
    }

    @Test
    void encodeRefusesAnEmptySecretInTheEnvironment() {
        terminal.env.put(SecretSource.ENV, "");

        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: CHIRP_SESSION_SECRET must not be empty; "
                + "set it to the application's secret key\n");
    }

    @Test
    void encodeRefusesASecretGivenAsAnArgumentWithoutEchoingIt() {
        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode", "--secret", "hunter2-visible-in-ps");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("chirp-session: --secret is not accepted: a secret on the command line "
                + "shows in the process list").doesNotContain("hunter2").hasLineCount(1);
    }

    @Test
    void encodeReportsAMissingSecretFile() {
        Path missing = dir.resolve("nope.txt");

        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode", "--secret-file", missing.toString());

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: --secret-file must name an existing file: " + missing
                + "; check the path\n");
    }

    @Test
    void encodeReportsAnEmptySecretFile() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.txt"), "\n");

        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode", "--secret-file", file.toString());

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: --secret-file must hold a secret: " + file
                + " is empty; write the secret into it (see 'chirp-session keygen')\n");
    }

    @Test
    void encodeRejectsBadJsonWithExitTwoAndOneLineSayingWhere() {
        Terminal.Result result = terminal.stdin("{\"a\": 1,\n \"b\": }").run("encode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("chirp-session: standard input must be one JSON object: ")
                .contains("line 2").endsWith("; fix the JSON and try again\n").hasLineCount(1)
                .doesNotContain("Exception");
    }

    @Test
    void encodeRejectsEmptyInput() {
        Terminal.Result result = terminal.stdin("").run("encode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: standard input must be one JSON object: the input is empty; "
                + "fix the JSON and try again\n");
    }

    @Test
    void encodeRejectsJsonThatIsNotAnObject() {
        Terminal.Result result = terminal.stdin("[1, 2]").run("encode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: standard input must be one JSON object: got an array; "
                + "a session is an object such as {\"user_id\": 42}\n");
    }

    @Test
    void encodeRejectsTwoJsonValues() {
        Terminal.Result result = terminal.stdin("{\"a\":1} {\"b\":2}").run("encode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).contains("more than one JSON value").hasLineCount(1);
    }

    @Test
    void encodeRefusesNanAndInfinityThatNoReaderAccepts() {
        for (String number : new String[] {"NaN", "Infinity", "-Infinity", "+INF", "1e999"}) {
            Terminal.Result result = terminal.stdin("{\"x\": " + number + "}").run("encode");

            assertThat(result.exitCode()).as(number + ": " + result).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
            assertThat(result.err()).as(number).hasLineCount(1);
        }
    }

    @Test
    void encodeWarnsWhenTheCookieIsTooLargeForBrowsers() {
        byte[] noise = new byte[4000];
        new SecureRandom().nextBytes(noise);
        String json = "{\"noise\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}";

        Terminal.Result result = terminal.stdin(json).run("encode");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).startsWith("chirp-session: warning: the cookie value is ")
                .contains("browsers drop cookies over about 4096 bytes").hasLineCount(1);
        assertThat(load(Terminal.SECRET, TimedSerializer.DEFAULT_SALT, result.line()).isVerified()).isTrue();
    }

    @Test
    void encodeWarnsOnStandardErrorWhenTheSecretIsShorterThan32BytesAsTheLibraryDoes() {
        Terminal terminal = new Terminal();
        terminal.env.put(SecretSource.ENV, "only-20-bytes-secret");

        Terminal.Result result = terminal.stdin("{\"a\":1}").run("encode");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isNotEmpty();
        assertThat(result.err()).isEqualTo("chirp-session: warning: the secret is 20 bytes, shorter than 32, which "
                + "makes offline guessing easier; generate one with 'chirp-session keygen'\n");

        terminal.env.put(SecretSource.ENV, "exactly-32-bytes-secret-01234567");
        assertThat(terminal.stdin("{\"a\":1}").run("encode").err()).isEmpty();
    }
}
