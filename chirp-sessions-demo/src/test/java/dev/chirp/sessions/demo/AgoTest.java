package dev.chirp.sessions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgoTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static String ago(long seconds) {
        return Ago.describe(NOW.minusSeconds(seconds), NOW);
    }

    @Test
    void saysHowLongAgoAsAPersonWould() {
        assertThat(ago(0)).isEqualTo("just now");
        assertThat(ago(44)).isEqualTo("just now");
        assertThat(ago(60)).isEqualTo("a minute ago");
        assertThat(ago(5 * 60)).isEqualTo("5 minutes ago");
        assertThat(ago(50 * 60)).isEqualTo("an hour ago");
        assertThat(ago(3 * 3600)).isEqualTo("3 hours ago");
        assertThat(ago(23 * 3600)).isEqualTo("yesterday");
        assertThat(ago(3 * 86400)).isEqualTo("3 days ago");
    }

    @Test
    void aTimeInTheFutureIsJustNow() {
        assertThat(Ago.describe(NOW.plusSeconds(30), NOW)).isEqualTo("just now");
    }
}
