package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.TimedSerializer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectCommandTest {

    private final Terminal terminal = new Terminal();

    @Test
    void inspectShowsPayloadSigningTimeCompressionAndSizeMarkedUnverifiedWithoutASecret() {
        String cookie = TimedSerializer.builder("whatever").build().dumps(Map.of("user_id", 42), Terminal.NOW.minusSeconds(100));

        Terminal.Result result = terminal.run("inspect", cookie);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(
                "UNVERIFIED: the signature was not checked; anyone can forge this content.\n"
                + "payload:     {\"user_id\":42}\n"
                + "signed at:   2024-11-27T09:33:20Z (1732700000, 100 s ago)\n"
                + "compressed:  no\n"
                + "size:        cookie value " + cookie.length() + " bytes, JSON payload 14 bytes\n");
    }

    @Test
    void inspectShowsThePayloadEvenWhenTheSignatureIsWrong() {
        String cookie = TimedSerializer.builder("whatever").build().dumps(Map.of("a", 1), Terminal.NOW);
        String badSignature = cookie.substring(0, cookie.lastIndexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAAAAAAA";

        Terminal.Result result = terminal.run("inspect", badSignature);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith(InspectCommand.BANNER).contains("payload:     {\"a\":1}\n");
    }

    @Test
    void inspectShowsCompressionAndBothSizes() {
        String cookie = TimedSerializer.builder("whatever").build()
                .dumps(Map.of("history", java.util.Collections.nCopies(100, "/cart")), Terminal.NOW);

        Terminal.Result result = terminal.run("inspect", cookie);

        assertThat(result.out()).containsPattern("compressed:  yes \\(zlib; 813 bytes of JSON in \\d+ bytes\\)\n")
                .contains("JSON payload 813 bytes");
    }

    @Test
    void inspectOfJunkSaysWhatIsWrongAndExitsOne() {
        Terminal.Result result = terminal.run("inspect", "not-a-cookie");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
        assertThat(result.out()).startsWith(InspectCommand.BANNER)
                .contains("payload:     (unreadable)\n")
                .doesNotContain("problem");
        assertThat(result.err()).isEqualTo("chirp-session: cannot read the cookie: no PAYLOAD.TIMESTAMP.SIGNATURE separators\n");
    }

    @Test
    void inspectOfAValueShortenedInItsSignatureBlamesTheSignatureAndStillShowsThePayload() {
        String cookie = TimedSerializer.builder("whatever").build().dumps(Map.of("user_id", 42), Terminal.NOW);
        String shortened = cookie.substring(0, cookie.lastIndexOf('.') + 5) + "...";

        Terminal.Result result = terminal.run("inspect", "chirp_session=" + shortened + "; Path=/; HttpOnly");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
        assertThat(result.out()).contains("payload:     {\"user_id\":42}\n").contains("signed at:   2024-11-27");
        assertThat(result.err()).isEqualTo("chirp-session: cannot read the cookie: the signature part is broken: it is cut short "
                + "or followed by more dots; a value is [.]PAYLOAD.TIMESTAMP.SIGNATURE, so paste the whole value, "
                + "not one shortened with '...'\n");
    }

    @Test
    void inspectOfAValueShortenedInItsPayloadBlamesThePayload() {
        String cookie = TimedSerializer.builder("whatever").build().dumps(Map.of("user_id", 42), Terminal.NOW);
        String shortened = cookie.substring(0, 6) + "..." + cookie.substring(cookie.indexOf('.') - 4);

        Terminal.Result result = terminal.run("inspect", shortened);

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
        assertThat(result.err()).startsWith("chirp-session: cannot read the cookie: the payload part is broken: it holds more dots;")
                .doesNotContain("base64 character");
    }

    @Test
    void inspectNamesAPartWithACharacterOutsideUrlSafeBase64() {
        String cookie = TimedSerializer.builder("whatever").build().dumps(Map.of("a", 1), Terminal.NOW);
        int tsDot = cookie.indexOf('.');
        String bad = cookie.substring(0, tsDot + 1) + "+" + cookie.substring(tsDot + 2);

        Terminal.Result result = terminal.run("inspect", bad);

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
        assertThat(result.err()).isEqualTo("chirp-session: cannot read the cookie: the timestamp part has a character that is not "
                + "URL-safe base64 at index 0: '+'\n");
    }

    @Test
    void inspectShowsAnyJsonValueEvenIfItIsNotASession() {
        String cookie = TimedSerializer.builder("whatever").build().dumps(List.of(1, 2), Terminal.NOW);

        assertThat(terminal.run("inspect", cookie).out()).contains("payload:     [1,2]\n");
    }

    @Test
    void aTimestampPastWhatJavaTimeHoldsIsOneLineOnStandardErrorAndExitOne() {
        // 0x7fffffffffffffff seconds: it used to print "internal error: java.time.DateTimeException" and exit 3.
        Terminal.Result result = terminal.run("inspect", "eyJhIjoxfQ.f_________8.x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ChirpSessionCommand.EXIT_REJECTED);
        assertThat(result.err()).hasLineCount(1)
                .startsWith("chirp-session: cannot read the cookie: timestamp is out of range")
                .doesNotContain("internal error").doesNotContain("Exception");
        assertThat(result.out()).contains("payload:     {\"a\":1}\n").contains("signed at:   (unreadable)\n");
    }
}
