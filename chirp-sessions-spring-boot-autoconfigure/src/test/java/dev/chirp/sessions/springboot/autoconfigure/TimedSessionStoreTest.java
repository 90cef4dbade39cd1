package dev.chirp.sessions.springboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.SessionStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link TimedSessionStore} hands every call to the store it times, the interface's defaults included. */
class TimedSessionStoreTest {

    @Test
    void overridesEveryMethodOfTheStoreInterface() throws Exception {
        for (Method method : SessionStore.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Method own = TimedSessionStore.class.getMethod(method.getName(), method.getParameterTypes());
            assertThat(own.getDeclaringClass()).as("%s is forwarded", method).isEqualTo(TimedSessionStore.class);
        }
    }

    @Test
    void theChangeSetAndTheFingerprintReachTheWrappedStore() {
        List<SessionChanges> seen = new ArrayList<>();
        SessionStore merging = new SessionStore() {
            @Override
            public Map<String, Object> load(Map<String, Object> cookiePayload) {
                return cookiePayload;
            }

            @Override
            public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data,
                    Duration timeToLive) {
                throw new AssertionError("the three-argument save drops the change set");
            }

            @Override
            public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data,
                    SessionChanges changes, Duration timeToLive) {
                seen.add(changes);
                return Map.of("sid", "x");
            }

            @Override
            public boolean delete(Map<String, Object> cookiePayload) {
                return true;
            }

            @Override
            public Optional<String> fingerprint(Map<String, Object> cookiePayload) {
                return Optional.of("0123456789abcdef");
            }
        };
        SessionStore timed = new SessionMetrics().timed(merging);
        SessionChanges changes = SessionChanges.of(Set.of("cart"), Set.of("old"));

        assertThat(timed.save(Map.of("sid", "x"), Map.of("cart", 1), changes, Duration.ofMinutes(1)))
                .containsEntry("sid", "x");
        assertThat(seen).containsExactly(changes);
        assertThat(timed.fingerprint(Map.of("sid", "x"))).contains("0123456789abcdef");
    }
}
