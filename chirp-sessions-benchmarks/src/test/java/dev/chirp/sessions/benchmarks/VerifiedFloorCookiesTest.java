package dev.chirp.sessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.benchmarks.HttpBenchmarkServer.VerifiedFloorCookies;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP floor's cache answers exactly what {@link Floor#loads} answers, only without verifying twice. */
class VerifiedFloorCookiesTest {

    private static final long MAX_AGE = 86_400;

    private final Floor floor = new Floor(Payloads.SECRET);

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 255L, 1_732_700_000L, 4_294_967_295L, 1L << 40})
    void signingTimeIsReadFromTheToken(long signedAt) {
        assertThat(VerifiedFloorCookies.signedAt(floor.dumps(Map.of("counter", 1), signedAt))).isEqualTo(signedAt);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "cart", "large"})
    void aCachedCookieReadsAsTheFloorReadsItUntilItExpires(String payload) {
        long signedAt = 1_732_700_000L;
        String token = floor.dumps(Payloads.named(payload), signedAt);
        VerifiedFloorCookies cache = new VerifiedFloorCookies(floor, MAX_AGE);

        assertThat(cache.loads(token, signedAt + 10)).isEqualTo(floor.loads(token, signedAt + 10, MAX_AGE))
                .isEqualTo(Payloads.named(payload));
        assertThat(cache.loads(token, signedAt + MAX_AGE)).isEqualTo(Payloads.named(payload));
        // Cached, but now too old (or from too far in the future): refused as the floor refuses it.
        assertThat(cache.loads(token, signedAt + MAX_AGE + 1)).isNull();
        assertThat(floor.loads(token, signedAt + MAX_AGE + 1, MAX_AGE)).isNull();
        assertThat(cache.loads(token, signedAt - 6)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "cart"})
    void aTamperedVariantOfACachedCookieIsRefused(String payload) {
        long now = 1_732_700_000L;
        String token = floor.dumps(Payloads.named(payload), now);
        VerifiedFloorCookies cache = new VerifiedFloorCookies(floor, MAX_AGE);
        assertThat(cache.loads(token, now)).isNotNull();

        // A signature character away from the end (the last one carries spare bits).
        int at = token.length() - 5;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThat(cache.loads(tampered, now)).isNull();
    }
}
