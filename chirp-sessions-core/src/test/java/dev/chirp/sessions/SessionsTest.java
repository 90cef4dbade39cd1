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

    @Test
    void loginKeepingCarriesCopiesOfTheNamedKeysAndNothingElse() {
        SessionRequest request = middleware.begin((String) null);
        try (SessionRequest.Binding ignored = request.bind()) {
            java.util.List<Object> cart = new java.util.ArrayList<>(java.util.List.of("tea", "mug"));
            Sessions.get().put("cart", cart);
            Sessions.get().put("theme", "dark");
            Sessions.get().put("tracking", "planted-before-login");

            Sessions.loginKeeping("alice", "cart", "wishlist");
            cart.add("added-through-the-old-reference");

            assertThat(Sessions.get()).containsOnlyKeys("cart", "user_id");
            assertThat(Sessions.get().get("cart")).isEqualTo(java.util.List.of("tea", "mug"));
            assertThat(Sessions.userId()).contains("alice");
            assertThat(Sessions.get().isRegenerated()).isTrue();
        }
    }

    @Test
    void loginStillEmptiesTheSessionByDefault() {
        SessionRequest request = middleware.begin((String) null);
        try (SessionRequest.Binding ignored = request.bind()) {
            Sessions.get().put("cart", java.util.List.of("tea"));
            Sessions.login("alice");
            assertThat(Sessions.get()).containsOnlyKeys("user_id");
        }
    }

    @Test
    void keysTheSessionManagesCannotBeCarriedAndTheSessionIsLeftAsItWas() {
        SessionRequest request = middleware.begin((String) null);
        try (SessionRequest.Binding ignored = request.bind()) {
            Sessions.login("mallory");
            Sessions.get().put("cart", java.util.List.of("tea"));
            for (String key : java.util.List.of("user_id", "_session_version", "_csrf_token", "__created_at",
                    "__last_seen_at")) {
                assertThatThrownBy(() -> Sessions.loginKeeping("alice", "cart", key))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("keys kept across a regeneration must not include " + key + ":");
                assertThatThrownBy(() -> Sessions.regenerateKeeping(key)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(Sessions.userId()).contains("mallory");
            assertThat(Sessions.get()).containsOnlyKeys("user_id", "cart");
        }
    }

    @Test
    void regenerateKeepingIsSavedAsANewCookieHoldingOnlyTheKeptKeys() {
        SessionRequest first = middleware.begin((String) null);
        try (SessionRequest.Binding ignored = first.bind()) {
            Sessions.get().put("cart", java.util.List.of("tea"));
            Sessions.get().put("other", 1);
        }
        String cookie = setCookie(first);
        SessionRequest second = middleware.begin(cookie.substring(0, cookie.indexOf(';')));
        try (SessionRequest.Binding ignored = second.bind()) {
            Sessions.regenerateKeeping("cart");
        }
        String renewed = setCookie(second);
        SessionRequest third = middleware.begin(renewed.substring(0, renewed.indexOf(';')));
        assertThat(third.session()).containsOnlyKeys("cart").containsEntry("cart", java.util.List.of("tea"));
    }

    private static String setCookie(SessionRequest request) {
        java.util.List<String> values = new java.util.ArrayList<>();
        request.commit((name, value) -> {
            if (name.equalsIgnoreCase("Set-Cookie")) {
                values.add(value);
            }
        });
        assertThat(values).hasSize(1);
        return values.get(0);
    }
}
