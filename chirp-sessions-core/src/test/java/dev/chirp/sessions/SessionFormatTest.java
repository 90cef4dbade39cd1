package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.json.FlaskTuple;
import dev.chirp.sessions.signing.FlaskSerializer;
import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.SealedSerializer;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cookie formats through the middleware: each keeps the write policy, rotation and timeouts. */
class SessionFormatTest {

    private static final String SECRET = "test-secret-key-that-is-long-enough-0123456789";
    private static final String OLD_SECRET = "old-secret-key-that-is-also-long-enough-98765";
    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");

    private SessionMiddleware middleware(SessionConfig.Builder builder) {
        return new SessionMiddleware(builder.clock(clock).build());
    }

    @Test
    void chirpIsTheDefaultFormat() {
        SessionConfig config = SessionConfig.builder(SECRET).build();
        assertThat(config.format()).isEqualTo(SessionFormat.CHIRP);
        assertThat(config.cookieName()).isEqualTo("chirp_session");
    }

    @Test
    void flaskFormatDefaultsToFlasksCookieNameUnlessSet() {
        SessionConfig flask = SessionConfig.builder(SECRET).format(SessionFormat.FLASK).build();
        assertThat(flask.cookieName()).isEqualTo("session");
        assertThat(flask.toString()).contains("salt=cookie-session").contains("format=FLASK");
        SessionConfig named = SessionConfig.builder(SECRET).cookieName("app").format(SessionFormat.FLASK).build();
        assertThat(named.cookieName()).isEqualTo("app");
    }

    @Test
    void sealedSessionIsReadBackAndIsNotReadableWithoutTheSecret() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).format(SessionFormat.SEALED)));
        browser.request(s -> s.put("user", "alice"));
        String cookie = browser.cookie();
        assertThat(cookie).doesNotContain(".");
        assertThat(SealedSerializer.looksSealed(cookie)).isTrue();
        LoadResult opened = SealedSerializer.builder(SECRET).clock(clock).build().loads(cookie);
        assertThat(opened.value()).isEqualTo(Map.of("user", "alice"));

        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isEqualTo("alice");
        assertThat(response.setsCookie()).isFalse(); // read-only: the write policy holds
    }

    @Test
    void sealedCookieUnderAnotherNameGivesAnEmptySession() {
        Browser writer = new Browser(middleware(SessionConfig.builder(SECRET).format(SessionFormat.SEALED)));
        writer.request(s -> s.put("admin", true));
        Browser reader = new Browser(middleware(SessionConfig.builder(SECRET).format(SessionFormat.SEALED)
                .cookieName("other")));
        reader.setCookie(writer.cookie());
        Object[] seen = new Object[1];
        reader.request(s -> seen[0] = s.get("admin"));
        assertThat(seen[0]).isNull();
    }

    @Test
    void sealedCookieUnderAFallbackSecretIsReissuedUnderTheCurrentOne() {
        Browser old = new Browser(middleware(SessionConfig.builder(OLD_SECRET).format(SessionFormat.SEALED)));
        old.request(s -> s.put("user", "bob"));
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).fallbackSecrets(OLD_SECRET)
                .format(SessionFormat.SEALED)));
        browser.setCookie(old.cookie());
        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isEqualTo("bob");
        assertThat(response.setsCookie()).isTrue();
        assertThat(SealedSerializer.builder(SECRET).clock(clock).build().loads(browser.cookie()).isVerified()).isTrue();
    }

    @Test
    void sealedSessionHonoursTheIdleTimeout() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).format(SessionFormat.SEALED)
                .idleTimeout(Duration.ofMinutes(10))));
        browser.request(s -> s.put("user", "alice"));
        clock.advance(Duration.ofMinutes(11));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isNull();
    }

    @Test
    void flaskSessionHoldsFlaskTypesAndWritesThemTagged() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).format(SessionFormat.FLASK)));
        UUID id = UUID.randomUUID();
        browser.request(s -> {
            s.put("id", id);
            s.put("raw", new byte[] {1, 2});
            s.put("at", Instant.parse("2026-01-02T03:04:05Z"));
            s.put("_flashes", List.of(List.of("message", "Saved")));
        });
        LoadResult result = FlaskSerializer.builder(SECRET).clock(clock).build().loads(browser.cookie(), null);
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) result.value();
        assertThat(v.get("id")).isEqualTo(id);
        assertThat((byte[]) v.get("raw")).containsExactly(1, 2);
        assertThat(v.get("at")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat((List<?>) v.get("_flashes")).singleElement().isInstanceOf(FlaskTuple.class);

        // Twice: the second read comes from the verified-cookie cache, whose copy must keep the types.
        for (int i = 0; i < 2; i++) {
            Object[] seen = new Object[3];
            browser.request(s -> {
                seen[0] = s.get("id");
                seen[1] = ((List<?>) s.get("_flashes")).get(0);
                seen[2] = s.get("raw");
            });
            assertThat(seen[0]).isEqualTo(id);
            assertThat(seen[1]).isInstanceOf(FlaskTuple.class).isEqualTo(List.of("message", "Saved"));
            assertThat((byte[]) seen[2]).containsExactly(1, 2);
        }
    }

    @Test
    void chirpSessionStillRefusesFlaskTypesAtPut() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET)));
        assertThatThrownBy(() -> browser.request(s -> s.put("id", UUID.randomUUID())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a JSON value")
                .hasMessageNotContaining("Flask");
    }
}
