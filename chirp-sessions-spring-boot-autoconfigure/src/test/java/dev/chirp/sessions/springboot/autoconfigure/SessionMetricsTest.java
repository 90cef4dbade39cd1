package dev.chirp.sessions.springboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionEvent;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.signing.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link SessionMetrics} records for each event and store call. */
class SessionMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SessionMetrics metrics = new SessionMetrics();

    @Test
    void everyMeterExistsAtZeroBeforeTheFirstEvent() {
        metrics.bindTo(registry);

        assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "created", "reason", "none").counter().count())
                .isZero();
        assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "rejected", "reason", "expired").counter().count())
                .isZero();
        assertThat(registry.get(SessionMetrics.STORE_CALLS).tags("operation", "load", "outcome", "failure")
                .timer().count()).isZero();
    }

    @Test
    void eventsAreCountedByTypeAndRejectionReason() {
        metrics.bindTo(registry);
        metrics.onEvent(SessionEvent.withCookieBytes(SessionEvent.Type.CREATED, 180));
        metrics.onEvent(SessionEvent.rejected(Rejection.BAD_SIGNATURE));
        metrics.onEvent(SessionEvent.rejected(Rejection.BAD_SIGNATURE));
        metrics.onEvent(SessionEvent.of(SessionEvent.Type.ENDED));

        assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "created").counter().count()).isEqualTo(1);
        assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "rejected", "reason", "bad_signature")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "ended").counter().count()).isEqualTo(1);
        assertThat(registry.get(SessionMetrics.COOKIE_SIZE).tags("type", "created").summary().totalAmount())
                .isEqualTo(180);
    }

    @Test
    void eventsBeforeBindingAreDroppedNotFailed() {
        metrics.onEvent(SessionEvent.of(SessionEvent.Type.CREATED));
        metrics.bindTo(registry);

        assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "created").counter().count()).isZero();
    }

    @Test
    void storeCallsAreTimedWithTheirOutcome() {
        metrics.bindTo(registry);
        SessionStore failing = new SessionStore() {
            @Override
            public Map<String, Object> load(Map<String, Object> cookiePayload) {
                throw new SessionStoreException("backend down", null);
            }

            @Override
            public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration ttl) {
                return Map.of("sid", "x");
            }

            @Override
            public boolean delete(Map<String, Object> cookiePayload) {
                return true;
            }
        };
        SessionStore timed = metrics.timed(failing);

        timed.save(null, Map.of("a", 1), Duration.ofMinutes(1));
        timed.touch(Map.of("sid", "x"), Map.of("a", 1), Duration.ofMinutes(1));
        assertThatThrownBy(() -> timed.load(Map.of("sid", "x"))).isInstanceOf(SessionStoreException.class);

        assertThat(registry.get(SessionMetrics.STORE_CALLS).tags("operation", "save", "outcome", "success")
                .timer().count()).isEqualTo(1);
        // The default touch() calls save() on the wrapped store, not on the timing wrapper.
        assertThat(registry.get(SessionMetrics.STORE_CALLS).tags("operation", "touch", "outcome", "success")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get(SessionMetrics.STORE_CALLS).tags("operation", "load", "outcome", "failure")
                .timer().count()).isEqualTo(1);
    }
}
