package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionsTest {

    private final SessionMiddleware middleware = new SessionMiddleware(
            SessionConfig.builder("sessions-test-secret-0123456789-0123456789").build());

    @Test
    void getOutsideARequestSaysWhichMiddlewareToAdd() {
        assertThatThrownBy(Sessions::get)
                .isInstanceOf(NoActiveSessionException.class)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add the middleware")
                .hasMessageContaining("dev.chirp.sessions.servlet.SessionFilter");
        assertThatThrownBy(Sessions::regenerate).isInstanceOf(NoActiveSessionException.class);
        assertThatThrownBy(() -> Sessions.login("u")).isInstanceOf(NoActiveSessionException.class);
        assertThatThrownBy(Sessions::logout).isInstanceOf(NoActiveSessionException.class);
        assertThat(Sessions.find()).isEmpty();
    }

    @Test
    void bindingIsRestoredWhenClosedEvenWhenNested() {
        SessionRequest outer = middleware.begin((String) null);
        SessionRequest inner = middleware.begin((String) null);
        try (SessionRequest.Binding a = outer.bind()) {
            assertThat(Sessions.get()).isSameAs(outer.session());
            try (SessionRequest.Binding b = inner.bind()) {
                assertThat(Sessions.get()).isSameAs(inner.session());
            }
            assertThat(Sessions.get()).isSameAs(outer.session());
        }
        assertThat(Sessions.find()).isEmpty();
    }

    @Test
    void bindingIsRestoredWhenTheHandlerThrows() {
        SessionRequest request = middleware.begin((String) null);
        assertThatThrownBy(() -> {
            try (SessionRequest.Binding ignored = request.bind()) {
                throw new IllegalStateException("boom");
            }
        }).hasMessage("boom");
        assertThat(Sessions.find()).isEmpty();
    }

    @Test
    void bindingIsPerThread() throws Exception {
        SessionRequest request = middleware.begin((String) null);
        try (SessionRequest.Binding ignored = request.bind()) {
            Thread other = new Thread(() -> assertThat(Sessions.find()).isEmpty());
            other.start();
            other.join();
        }
    }

    @Test
    void loginRegeneratesAndStoresTheUserId() {
        SessionRequest request = middleware.begin((String) null);
        try (SessionRequest.Binding ignored = request.bind()) {
            Sessions.get().put("before", 1);
            Sessions.login("alice");
            assertThat(Sessions.get()).containsOnlyKeys("user_id");
            assertThat(Sessions.userId()).contains("alice");
            Sessions.logout();
            assertThat(Sessions.get()).isEmpty();
            assertThat(Sessions.userId()).isEmpty();
        }
    }
}
