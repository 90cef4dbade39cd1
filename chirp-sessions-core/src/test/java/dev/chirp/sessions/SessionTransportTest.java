package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The header transport: the same write policy as the cookie, carried in a request and response header. */
class SessionTransportTest {

    private static final String SECRET = "test-secret-key-that-is-long-enough-0123456789";
    private static final String OLD_SECRET = "old-secret-key-that-is-long-enough-9876543210";
    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");

    /** The headers one request's commit wrote, as name and value pairs. */
    private record Written(List<String[]> headers) {
        List<String> values(String name) {
            List<String> out = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equals(name)) {
                    out.add(h[1]);
                }
            }
            return out;
        }

        String token() {
            List<String> tokens = values(SessionConfig.DEFAULT_HEADER_NAME);
            assertThat(tokens).hasSize(1);
            return tokens.get(0);
        }
    }

    private SessionMiddleware middleware(SessionTransport transport) {
        return new SessionMiddleware(SessionConfig.builder(SECRET).transport(transport).clock(clock).build());
    }

    private static Written run(SessionMiddleware middleware, Collection<String> cookies, Collection<String> tokens,
            Consumer<Session> handler) {
        SessionRequest request = middleware.begin(cookies, tokens);
        handler.accept(request.session());
        List<String[]> headers = new ArrayList<>();
        request.commit((name, value) -> headers.add(new String[] {name, value}));
        return new Written(headers);
    }

    @Test
    void headerTransportAnswersInTheHeaderAndReadsItBack() {
        SessionMiddleware middleware = middleware(SessionTransport.HEADER);
        Written first = run(middleware, null, null, s -> s.put("user", "alice"));
        assertThat(first.values("Set-Cookie")).isEmpty();
        assertThat(first.values("Vary")).containsExactly("X-Session-Token");
        String token = first.token();
        assertThat(token).isNotEmpty().doesNotContain(";").doesNotContain("=");

        Object[] seen = new Object[1];
        Written second = run(middleware, null, List.of(token), s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isEqualTo("alice");
        assertThat(second.values("X-Session-Token")).as("read-only: nothing to send").isEmpty();
        assertThat(second.values("Vary")).containsExactly("X-Session-Token");
    }

    @Test
    void untouchedSessionWritesNothingAndVerifiesNothing() {
        SessionMiddleware middleware = middleware(SessionTransport.HEADER);
        Written written = run(middleware, null, List.of("not-even-a-token"), s -> { });
        assertThat(written.headers()).isEmpty();
    }

    @Test
    void headerTransportNeverReadsTheCookie() {
        SessionMiddleware cookies = middleware(SessionTransport.COOKIE);
        SessionRequest first = cookies.begin(List.of());
        first.session().put("user", "alice");
        List<String> setCookie = new ArrayList<>();
        first.commit((name, value) -> setCookie.add(value));
        String cookie = setCookie.get(1).substring(0, setCookie.get(1).indexOf(';'));

        Object[] seen = new Object[1];
        SessionRequest request = middleware(SessionTransport.HEADER).begin(List.of(cookie), null);
        seen[0] = request.session().get("user");
        assertThat(seen[0]).isNull();
        assertThat(request.carriedByHeader()).isTrue();
    }

    @Test
    void tamperedTokenIsAnEmptySessionAndTheClientIsToldToForgetIt() {
        SessionMiddleware middleware = middleware(SessionTransport.HEADER);
        String token = run(middleware, null, null, s -> s.put("role", "user")).token();
        String tampered = token.substring(0, 2) + (token.charAt(2) == 'A' ? 'B' : 'A') + token.substring(3);

        Object[] seen = new Object[1];
        Written written = run(middleware, null, List.of(tampered), s -> seen[0] = s.get("role"));
        assertThat(seen[0]).isNull();
        assertThat(written.token()).as("deletion is an empty value").isEmpty();
    }

    @Test
    void clearedSessionSendsAnEmptyValueOnlyWhenTheClientHeldAToken() {
        SessionMiddleware middleware = middleware(SessionTransport.HEADER);
        String token = run(middleware, null, null, s -> s.put("user", "alice")).token();
        assertThat(run(middleware, null, List.of(token), Session::clear).token()).isEmpty();
        assertThat(run(middleware, null, List.of(""), Session::clear).values("X-Session-Token")).isEmpty();
    }

    @Test
    void tokenSignedWithAFallbackSecretIsReissuedInTheHeader() {
        SessionMiddleware old = new SessionMiddleware(SessionConfig.builder(OLD_SECRET)
                .transport(SessionTransport.HEADER).clock(clock).build());
        String oldToken = run(old, null, null, s -> s.put("user", "alice")).token();
        SessionMiddleware rotated = new SessionMiddleware(SessionConfig.builder(SECRET).fallbackSecrets(OLD_SECRET)
                .transport(SessionTransport.HEADER).clock(clock).build());

        Written written = run(rotated, null, List.of(oldToken), s -> s.get("user"));
        String reissued = written.token();
        assertThat(reissued).isNotEmpty().isNotEqualTo(oldToken);
        Object[] seen = new Object[1];
        run(middleware(SessionTransport.HEADER), null, List.of(reissued), s -> seen[0] = s.get("user"));
        assertThat(seen[0]).as("signed with the current secret").isEqualTo("alice");
    }

    @Test
    void readOnlyRequestRefreshesAnAgedToken() {
        SessionMiddleware middleware = middleware(SessionTransport.HEADER);
        String token = run(middleware, null, null, s -> s.put("user", "alice")).token();
        clock.advance(Duration.ofHours(11));
        assertThat(run(middleware, null, List.of(token), s -> s.get("user")).values("X-Session-Token")).isEmpty();
        clock.advance(Duration.ofHours(2));
        String refreshed = run(middleware, null, List.of(token), s -> s.get("user")).token();
        assertThat(refreshed).isNotEmpty().isNotEqualTo(token);
    }

    @Test
    void oversizedTokenIsRefusedBeforeAnyHeaderIsWritten() {
        SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder(SECRET)
                .transport(SessionTransport.HEADER).maxCookieBytes(512).clock(clock).build());
        SessionRequest request = middleware.begin(null, null);
        StringBuilder random = new StringBuilder();
        java.util.Random rng = new java.util.Random(7);
        for (int i = 0; i < 600; i++) {
            random.append((char) ('a' + rng.nextInt(26)));
        }
        request.session().put("big", random.toString());
        List<String> headers = new ArrayList<>();
        assertThatThrownBy(() -> request.commit((name, value) -> headers.add(name)))
                .isInstanceOf(SessionTooLargeException.class);
        assertThat(headers).isEmpty();
    }

    @Test
    void eitherTransportAnswersEachClientTheWayItCame() {
        SessionMiddleware middleware = middleware(SessionTransport.COOKIE_OR_HEADER);
        Written browser = run(middleware, null, null, s -> s.put("via", "cookie"));
        assertThat(browser.values("Set-Cookie")).singleElement().asString().startsWith("chirp_session=");
        assertThat(browser.values("X-Session-Token")).isEmpty();
        assertThat(browser.values("Vary")).containsExactly("Cookie, X-Session-Token");

        Written api = run(middleware, null, List.of(""), s -> s.put("via", "header"));
        assertThat(api.values("Set-Cookie")).isEmpty();
        assertThat(api.token()).isNotEmpty();
        assertThat(api.values("Vary")).containsExactly("Cookie, X-Session-Token");
    }

    @Test
    void eitherTransportIgnoresTheCookieOfARequestThatSendsTheHeader() {
        SessionMiddleware middleware = middleware(SessionTransport.COOKIE_OR_HEADER);
        String setCookie = run(middleware, null, null, s -> s.put("user", "alice")).values("Set-Cookie").get(0);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        SessionRequest viaCookie = middleware.begin(List.of(cookie), null);
        assertThat(viaCookie.session().get("user")).isEqualTo("alice");
        assertThat(viaCookie.carriedByHeader()).isFalse();

        SessionRequest viaHeader = middleware.begin(List.of(cookie), List.of(""));
        assertThat(viaHeader.carriedByHeader()).isTrue();
        assertThat(viaHeader.session().get("user")).as("the cookie is not this request's session").isNull();
    }

    @Test
    void cookieTransportIgnoresTheHeader() {
        SessionMiddleware middleware = middleware(SessionTransport.HEADER);
        String token = run(middleware, null, null, s -> s.put("user", "alice")).token();
        SessionRequest request = middleware(SessionTransport.COOKIE).begin(null, List.of(token));
        assertThat(request.carriedByHeader()).isFalse();
        assertThat(request.session().get("user")).isNull();
    }

    @Test
    void csrfCheckSkipsOnlySessionsCarriedByTheHeader() {
        SessionMiddleware middleware = middleware(SessionTransport.COOKIE_OR_HEADER);
        CsrfGuard guard = CsrfGuard.standard();
        Session header = middleware.begin(null, List.of("")).session();
        assertThat(guard.check("POST", "/transfer", header, "application/json", null, () -> null))
                .isEqualTo(CsrfGuard.Result.ALLOWED);
        Session cookie = middleware.begin(List.of("chirp_session=x"), null).session();
        assertThat(guard.check("POST", "/transfer", cookie, "application/json", null, () -> null))
                .isEqualTo(CsrfGuard.Result.MISSING);
    }

    @Test
    void headerNameMustBeATokenOfItsOwn() {
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).transport(SessionTransport.HEADER)
                .headerName("X Session").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("headerName must be an RFC 9110 token (visible ASCII, none of ()<>@,;:\\\"/[]?={} or "
                        + "space): \"X Session\"; use letters, digits and '-', such as \"X-Session-Token\"");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).transport(SessionTransport.COOKIE_OR_HEADER)
                .headerName("authorization").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("headerName must not be a header that already has a meaning: \"authorization\"; "
                        + "browsers, proxies or the CSRF check would read it too, so use a header of its own "
                        + "such as \"X-Session-Token\"");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).transport(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void configDefaultsToTheCookieAndShowsTheHeaderOnlyWhenUsed() {
        SessionConfig config = SessionConfig.builder(SECRET).build();
        assertThat(config.transport()).isEqualTo(SessionTransport.COOKIE);
        assertThat(config.headerName()).isEqualTo("X-Session-Token");
        assertThat(config.toString()).contains("transport=COOKIE").doesNotContain("headerName");
        SessionConfig header = SessionConfig.builder(SECRET).transport(SessionTransport.HEADER)
                .headerName("X-Auth-Token").build();
        assertThat(header.toString()).contains("transport=HEADER, headerName=X-Auth-Token");
    }
}
