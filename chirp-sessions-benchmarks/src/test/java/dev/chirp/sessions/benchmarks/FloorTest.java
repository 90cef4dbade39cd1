package dev.chirp.sessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FloorTest {

    private static final long NOW = 1_732_700_000L;

    private final TimedSerializer serializer = TimedSerializer.builder(Payloads.SECRET).build();
    private final Floor floor = new Floor(Payloads.SECRET);

    @ParameterizedTest
    @ValueSource(strings = {"small", "cart", "large"})
    void floorWritesTheSameTokenAsTheSerializerSoItMeasuresTheSameWork(String payload) {
        Map<String, Object> value = Payloads.named(payload);

        assertThat(floor.dumps(value, NOW)).isEqualTo(serializer.dumps(value, Instant.ofEpochSecond(NOW)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "cart", "large"})
    void serializerVerifiesFloorTokens(String payload) {
        Map<String, Object> value = Payloads.named(payload);

        LoadResult result = serializer.loads(floor.dumps(value, Instant.now().getEpochSecond()));

        assertThat(result.isVerified()).isTrue();
        assertThat(result.value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "cart", "large"})
    void floorReadsSerializerTokens(String payload) {
        Map<String, Object> value = Payloads.named(payload);
        String token = serializer.dumps(value, Instant.ofEpochSecond(NOW));

        assertThat(floor.loads(token, NOW + 10, 86_400)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "cart", "large"})
    void floorRejectsATamperedOrExpiredToken(String payload) {
        String token = floor.dumps(Payloads.named(payload), NOW);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A')
                + token.charAt(token.length() - 1);

        assertThat(floor.loads(tampered, NOW, 86_400)).isNull();
        assertThat(floor.loads(token, NOW + 86_401, 86_400)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large"})
    void payloadsMatchTheirAdvertisedCookieSizes(String payload) {
        int length = serializer.dumps(Payloads.named(payload)).length();

        if (payload.equals("small")) {
            assertThat(length).isBetween(120, 180);
        } else {
            assertThat(length).isBetween(3600, 3950);
        }
    }
}
