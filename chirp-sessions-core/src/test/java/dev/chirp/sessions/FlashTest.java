package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.Browser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlashTest {

    private final SessionMiddleware middleware = new SessionMiddleware(
            SessionConfig.builder("flash-test-secret-0123456789-0123456789").build());

    @Test
    void aFlashSurvivesExactlyOneRedirect() {
        Browser browser = new Browser(middleware);
        browser.request(session -> {
            Sessions.login("alice");
            Sessions.flash("info", "Welcome back, alice.");
            Sessions.flash("Second message.");
        });
        List<Flash> shown = new ArrayList<>();
        Browser.Response redirected = browser.request(session -> shown.addAll(Sessions.flashes()));
        assertThat(shown).containsExactly(new Flash("info", "Welcome back, alice."),
                new Flash("message", "Second message."));
        assertThat(redirected.setsCookie()).as("taking the flashes changes the session").isTrue();

        List<Flash> again = new ArrayList<>();
        Browser.Response next = browser.request(session -> again.addAll(Sessions.flashes()));
        assertThat(again).isEmpty();
        assertThat(next.setsCookie()).as("no flashes to take: nothing changes").isFalse();
        browser.request(session -> assertThat(session).containsOnlyKeys("user_id"));
    }

    @Test
    void flashesAreStoredAsFlaskDoes() {
        Browser browser = new Browser(middleware);
        browser.request(session -> Sessions.flash("error", "Wrong password."));
        browser.request(session -> assertThat(session.get(Flash.SESSION_KEY))
                .isEqualTo(List.of(List.of("error", "Wrong password."))));
    }

    @Test
    void entriesThatAreNotPairsOfStringsAreDropped() {
        Browser browser = new Browser(middleware);
        browser.request(session -> session.put(Flash.SESSION_KEY,
                List.of(List.of("info", "kept"), "bare", List.of("a", 1), Map.of("x", "y"), List.of("a", "b", "c"))));
        browser.request(session -> assertThat(Sessions.flashes()).containsExactly(new Flash("info", "kept")));
        browser.request(session -> session.put(Flash.SESSION_KEY, "not a list"));
        browser.request(session -> {
            assertThat(Sessions.flashes()).isEmpty();
            assertThat(session).doesNotContainKey(Flash.SESSION_KEY);
        });
    }

    @Test
    void aFlashBeforeLoginIsDroppedByTheLoginButOneAfterItIsKept() {
        Browser browser = new Browser(middleware);
        browser.request(session -> {
            Sessions.flash("lost");
            Sessions.logout();
            Sessions.flash("info", "Logged out.");
        });
        browser.request(session -> assertThat(Sessions.flashes()).containsExactly(new Flash("info", "Logged out.")));
    }

    @Test
    void nullsAndMissingMiddlewareAreRefused() {
        assertThatThrownBy(() -> Sessions.flash("x")).isInstanceOf(NoActiveSessionException.class);
        assertThatThrownBy(Sessions::flashes).isInstanceOf(NoActiveSessionException.class);
        assertThatThrownBy(() -> new Flash(null, "m")).isInstanceOf(NullPointerException.class)
                .hasMessage("category");
        Browser browser = new Browser(middleware);
        browser.request(session -> assertThatThrownBy(() -> Sessions.flash("info", null))
                .isInstanceOf(NullPointerException.class).hasMessage("message"));
    }
}
