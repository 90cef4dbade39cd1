package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.TimedSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest {

    // Made by Python itsdangerous 2.1.2 at 1732700000 (Terminal.NOW - 100 s):
    //   URLSafeTimedSerializer(Terminal.SECRET).dumps({"user": "Zoë 🍪", "big": 2**70, "f": 1e-05, "cart": ["widget"] * 20})
    private static final String PYTHON_COMPRESSED = ".eJyrViotTi1SslKKyj-8WuHD_N5VSjpKSZnpSlaGhhYGppaGZkYG5obmJoaGxgbGJkYmOkppQ"
            + "KlUXQNTHaXkxKISJatopfLMlPTUEqC-IcOIrQUAofpPAQ.Z0bnYA.Xj5AVrIzEo2zcrSpATloR-TLAJE";
    //   URLSafeTimedSerializer("terminal-old-secret").dumps({"user_id": 7})
    private static final String PYTHON_OLD_SECRET = "eyJ1c2VyX2lkIjo3fQ.Z0bnYA.JwMOHcn4zaHg8mV3eY_5WsBXBaU";
    //   URLSafeTimedSerializer(Terminal.SECRET).dumps({"nan": float("nan"), "inf": float("inf")})
    private static final String PYTHON_NAN = "eyJuYW4iOk5hTiwiaW5mIjpJbmZpbml0eX0.Z0bnYA.5C-0hVSXO-P8DdQPpmfeTIg4UHk";

    @TempDir
    Path dir;

    private final Terminal terminal = Terminal.withSecret();

    private String sign(Object value, Instant signedAt) {
        return TimedSerializer.builder(Terminal.SECRET).build().dumps(value, signedAt);
    }

    private void assertRejected(Terminal.Result result, String reason) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("chirp-session: cookie rejected: " + reason).hasLineCount(1)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void decodePrintsTheSessionAsCompactJsonAndExitsZero() {
        String cookie = sign(Map.of("user_id", 42), Terminal.NOW);

        Terminal.Result result = terminal.run("decode", cookie);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("{\"user_id\":42}\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void decodeReadsACompressedCookieMadeByPython() {
        Terminal.Result result = terminal.run("decode", PYTHON_COMPRESSED);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("{\"user\":\"Zoë 🍪\",\"big\":1180591620717411303424,\"f\":1.0E-5,"
                + "\"cart\":[" + String.join(",", java.util.Collections.nCopies(20, "\"widget\"")) + "]}\n");
    }

    @Test
    void decodeRejectsNanAndInfinityThatPythonWrites() {
        assertRejected(terminal.run("decode", PYTHON_NAN), "payload is not valid JSON");
    }

    @Test
    void decodeAcceptsACookieSignedWithAFallbackSecretAndSaysSo() throws Exception {
        Path old = Files.writeString(dir.resolve("old.txt"), "terminal-old-secret\n");
        Path older = Files.writeString(dir.resolve("older.txt"), "even-older-secret\n");

        Terminal.Result result = terminal.run("decode", "--fallback-secret-file", older.toString(),
                "--fallback-secret-file", old.toString(), PYTHON_OLD_SECRET);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("{\"user_id\":7}\n");
        assertThat(result.err()).isEqualTo("chirp-session: note: verified with a fallback secret; "
                + "a server re-issues this cookie under the current secret\n");
    }

    @Test
    void decodeRejectsACookieSignedWithASecretItWasNotGiven() {
        assertRejected(terminal.run("decode", PYTHON_OLD_SECRET),
                "signature does not match (wrong secret or salt, or the cookie was changed)");
    }

    @Test
    void decodeRejectsATamperedPayload() {
        String cookie = sign(Map.of("user_id", 42), Terminal.NOW);
        String tampered = sign(Map.of("user_id", 1), Terminal.NOW).split("\\.")[0] + cookie.substring(cookie.indexOf('.'));

        assertRejected(terminal.run("decode", tampered), "signature does not match");
    }

    @Test
    void decodeRejectsJunk() {
        assertRejected(terminal.run("decode", "not-a-cookie"), "malformed value");
    }

    @Test
    void decodeRejectsACookieOlderThanMaxAgeAndSaysWhenItWasSigned() {
        String cookie = sign(Map.of("a", 1), Terminal.NOW.minusSeconds(61));

        assertRejected(terminal.run("decode", "--max-age", "60", cookie),
                "signature expired: signed at 2024-11-27T09:33:59Z, 61 s ago, max age 60 s");
    }

    @Test
    void decodeDefaultsToChirpsMaxAgeOfOneDay() {
        Terminal.Result dayOld = terminal.run("decode", sign(Map.of("a", 1), Terminal.NOW.minusSeconds(86400)));
        Terminal.Result older = terminal.run("decode", sign(Map.of("a", 1), Terminal.NOW.minusSeconds(86401)));

        assertThat(dayOld.exitCode()).isZero();
        assertRejected(older, "signature expired");
    }

    @Test
    void decodeToleratesTwoSecondsOfClockSkew() {
        Terminal.Result result = terminal.run("decode", sign(Map.of("a", 1), Terminal.NOW.plusSeconds(2)));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void decodeRejectsACookieSignedFarInTheFuture() {
        Terminal.Result result = terminal.run("decode", sign(Map.of("a", 1), Terminal.NOW.plusSeconds(3600)));

        assertRejected(result, "signed in the future beyond the clock-skew tolerance: "
                + "signed at 2024-11-27T10:35:00Z, 3600 s in the future\n");
    }

    @Test
    void decodeVerifiesWithTheGivenSalt() {
        String cookie = TimedSerializer.builder(Terminal.SECRET).salt("chirp.session").build().dumps(Map.of("a", 1), Terminal.NOW);

        assertThat(terminal.run("decode", "--salt", "chirp.session", cookie).exitCode()).isZero();
        assertRejected(terminal.run("decode", cookie), "signature does not match");
    }

    @Test
    void decodeRejectsAVerifiedPayloadThatIsNotAnObject() {
        Terminal.Result result = terminal.run("decode", sign(List.of(1, 2), Terminal.NOW));

        assertRejected(result, "the payload is an array, not a JSON object, so it is not a session");
    }

    @Test
    void decodeAcceptsTheFormsPeopleCopyFromABrowser() {
        String cookie = sign(Map.of("a", 1), Terminal.NOW);

        for (String pasted : List.of("chirp_session=" + cookie, "chirp_session=" + cookie + "; Path=/; HttpOnly",
                "\"" + cookie + "\"", "  " + cookie + "\n")) {
            Terminal.Result result = terminal.run("decode", pasted);
            assertThat(result.out()).as(pasted).isEqualTo("{\"a\":1}\n");
        }
    }

    @Test
    void decodeReadsTheCookieFromStandardInputWhenGivenADash() {
        String cookie = sign(Map.of("a", 1), Terminal.NOW);

        Terminal.Result result = terminal.stdin(cookie + "\n").run("decode", "-");

        assertThat(result.out()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void decodeRefusesANegativeMaxAge() {
        Terminal.Result result = terminal.run("decode", "--max-age", "-5", sign(Map.of("a", 1), Terminal.NOW));

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: --max-age must be 0 or more seconds: -5; "
                + "pass the session's max age, e.g. 86400\n");
    }

    @Test
    void decodeWithoutASecretExitsTwo() {
        Terminal.Result result = new Terminal().run("decode", sign(Map.of("a", 1), Terminal.NOW));

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).startsWith("chirp-session: no secret").hasLineCount(1);
    }

    @Test
    void decodeReportsAMissingFallbackSecretFile() {
        Path missing = dir.resolve("missing.txt");

        Terminal.Result result = terminal.run("decode", "--fallback-secret-file", missing.toString(), "x.y.z");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: --fallback-secret-file must name an existing file: "
                + missing + "; check the path\n");
    }

    @Test
    void decodeWithoutACookieArgumentExitsTwoWithAHint() {
        Terminal.Result result = terminal.run("decode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: Missing required parameter: 'COOKIE'\n"
                + "Try 'chirp-session decode --help'.\n");
    }

    @Test
    void aCorrectlySignedTokenStampedPastWhatJavaTimeHoldsIsOneLineAndExitOne() {
        // 2^62 seconds is past Instant.MAX; it used to print "internal error: java.time.DateTimeException"
        // and exit 3. Python itsdangerous fails on it too (OSError from datetime).
        for (java.math.BigInteger seconds : List.of(java.math.BigInteger.TWO.pow(62),
                java.math.BigInteger.TWO.pow(63).subtract(java.math.BigInteger.ONE), java.math.BigInteger.TWO.pow(70))) {
            String cookie = signRaw("eyJhIjoxfQ", seconds);

            Terminal.Result result = terminal.run("decode", cookie);

            assertRejected(result, "malformed value: timestamp is out of range");
        }
    }

    /** Signs {@code PAYLOAD.TIMESTAMP} as itsdangerous does, for any timestamp, even one no Instant holds. */
    private static String signRaw(String payload, java.math.BigInteger seconds) {
        byte[] bytes = seconds.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String signed = payload + "." + b64.encodeToString(bytes);
        try {
            byte[] key = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(("itsdangerous" + "signer" + Terminal.SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
            return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void flaskCookieDecodedAsChirpIsRejectedWithAHintToUseTheFlaskFormat() {
        String flask = dev.chirp.sessions.signing.FlaskSerializer.builder(Terminal.SECRET).build()
                .dumps(Map.of("user_id", 7), Terminal.NOW);

        Terminal.Result result = terminal.run("decode", flask);

        assertRejected(result, "signature does not match (wrong secret or salt, or the cookie was changed); "
                + "it verifies as a Flask session cookie: run again with --format flask");
        assertThat(terminal.run("decode", "--format", "flask", flask).out()).isEqualTo("{\"user_id\":7}\n");
    }

    @Test
    void chirpCookieDecodedAsFlaskIsRejectedWithAHintToUseTheChirpFormat() {
        String chirp = sign(Map.of("user_id", 7), Terminal.NOW);

        assertRejected(terminal.run("decode", "--format", "flask", chirp), "signature does not match "
                + "(wrong secret or salt, or the cookie was changed); it verifies as a chirp cookie: run again "
                + "with --format chirp");
    }

    @Test
    void cookieSignedWithAnotherSecretGetsNoFormatHint() {
        String other = TimedSerializer.builder("another-secret-0123456789abcdef-xyz").build()
                .dumps(Map.of("user_id", 7), Terminal.NOW);

        assertRejected(terminal.run("decode", other), "signature does not match");
        assertThat(terminal.run("decode", other).err()).doesNotContain("--format");
    }
}
