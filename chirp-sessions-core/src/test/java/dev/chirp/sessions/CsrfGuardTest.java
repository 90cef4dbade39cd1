package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.Browser;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CsrfGuardTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Supplier<String> NO_FIELD = () -> null;

    private final SessionMiddleware middleware = new SessionMiddleware(
            SessionConfig.builder("csrf-test-secret-0123456789-0123456789").build());
    private final CsrfGuard guard = CsrfGuard.builder().exemptPaths("/webhooks/stripe", "/api/public/*").build();

    private String issueToken(Browser browser) {
        AtomicReference<String> token = new AtomicReference<>();
        browser.request(session -> token.set(Csrf.token()));
        return token.get();
    }

    @Test
    void theTokenIs64HexCharactersStoredUnderChirpsKeyAndStable() {
        Browser browser = new Browser(middleware);
        String token = issueToken(browser);
        assertThat(token).matches("[0-9a-f]{64}");
        browser.request(session -> {
            assertThat(session.get("_csrf_token")).isEqualTo(token);
            assertThat(Csrf.token()).isEqualTo(token);
            assertThat(Csrf.formField()).isEqualTo("<input type=\"hidden\" name=\"_csrf_token\" value=\"" + token + "\">");
        });
        assertThat(issueToken(new Browser(middleware))).isNotEqualTo(token);
    }

    @Test
    void aLoginGivesTheSessionANewToken() {
        Browser browser = new Browser(middleware);
        String before = issueToken(browser);
        browser.request(session -> Sessions.login("alice"));
        assertThat(issueToken(browser)).isNotEqualTo(before).matches("[0-9a-f]{64}");
    }

    @Test
    void theTokenIsAcceptedFromTheHeaderOrTheFormField() {
        Browser browser = new Browser(middleware);
        String token = issueToken(browser);
        browser.request(session -> {
            assertThat(guard.check("POST", "/transfer", session, null, token, NO_FIELD))
                    .isEqualTo(CsrfGuard.Result.ALLOWED);
            assertThat(guard.check("DELETE", "/transfer", session, FORM + "; charset=UTF-8", null, () -> token))
                    .isEqualTo(CsrfGuard.Result.ALLOWED);
            assertThat(guard.check("patch", "/transfer", session, null, token, NO_FIELD))
                    .isEqualTo(CsrfGuard.Result.ALLOWED);
        });
    }

    @Test
    void missingWrongAndForeignTokensAreRefusedWithAReason() {
        Browser mallory = new Browser(middleware);
        String foreign = issueToken(mallory);
        Browser alice = new Browser(middleware);
        String token = issueToken(alice);
        alice.request(session -> {
            CsrfGuard.Result missing = guard.check("POST", "/transfer", session, FORM, null, NO_FIELD);
            assertThat(missing).isEqualTo(CsrfGuard.Result.MISSING);
            assertThat(missing.isRefused()).isTrue();
            assertThat(missing.reason()).isEqualTo("CSRF token missing: send the page's token (Csrf.token()) in "
                    + "the X-CSRF-Token header or the _csrf_token form field");
            assertThat(guard.check("PUT", "/transfer", session, null, token.substring(1) + "0", NO_FIELD))
                    .isEqualTo(CsrfGuard.Result.INVALID);
            assertThat(guard.check("POST", "/transfer", session, FORM, null, () -> foreign))
                    .isEqualTo(CsrfGuard.Result.INVALID);
            assertThat(guard.check("POST", "/transfer", session, null, "", NO_FIELD))
                    .isEqualTo(CsrfGuard.Result.INVALID);
            assertThat(CsrfGuard.Result.INVALID.reason()).startsWith("CSRF token invalid: ").doesNotContain(token);
        });
    }

    @Test
    void aSessionWithoutATokenRefusesEveryToken() {
        Browser browser = new Browser(middleware);
        browser.request(session -> assertThat(guard.check("POST", "/x", session, null,
                "0".repeat(64), NO_FIELD)).isEqualTo(CsrfGuard.Result.INVALID));
    }

    @Test
    void multipartAndJsonBodiesAreNotParsedForTheField() {
        Browser browser = new Browser(middleware);
        String token = issueToken(browser);
        AtomicBoolean read = new AtomicBoolean();
        browser.request(session -> {
            assertThat(guard.check("POST", "/upload", session, "multipart/form-data; boundary=x", null, () -> {
                read.set(true);
                return token;
            })).isEqualTo(CsrfGuard.Result.MISSING);
            assertThat(guard.check("POST", "/api", session, "application/json", null, () -> token))
                    .isEqualTo(CsrfGuard.Result.MISSING);
        });
        assertThat(read).isFalse();
    }

    @Test
    void safeMethodsAndExemptPathsAreNotCheckedAndDoNotTouchTheSession() {
        Browser browser = new Browser(middleware);
        SessionRequest request = middleware.begin((String) null);
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", "TRACE"}) {
            assertThat(guard.check(method, "/transfer", request.session(), null, null, NO_FIELD))
                    .isEqualTo(CsrfGuard.Result.ALLOWED);
        }
        assertThat(guard.check("POST", "/webhooks/stripe", request.session(), null, null, NO_FIELD))
                .isEqualTo(CsrfGuard.Result.ALLOWED);
        assertThat(guard.check("POST", "/api/public/v1/ping", request.session(), null, null, NO_FIELD))
                .isEqualTo(CsrfGuard.Result.ALLOWED);
        assertThat(request.isAccessed()).isFalse();
        assertThat(guard.isChecked("POST", "/webhooks/stripe/other")).isTrue();
        assertThat(guard.isChecked("POST", "/api/publicity")).isTrue();
        browser.request(session -> assertThat(CsrfGuard.standard().isChecked("POST", "/webhooks/stripe")).isTrue());
    }

    @Test
    void anExemptPathMustStartWithASlash() {
        assertThatThrownBy(() -> CsrfGuard.builder().exemptPaths("webhooks"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("exemptPaths must start with '/': 'webhooks'; give the path as the application sees it, "
                        + "for example '/webhooks/stripe'");
    }

    @Test
    void formContentTypesAreRecognisedWithParametersAndAnyCase() {
        assertThat(CsrfGuard.isUrlEncodedForm("Application/X-WWW-Form-Urlencoded ; charset=utf-8")).isTrue();
        assertThat(CsrfGuard.isUrlEncodedForm("text/plain")).isFalse();
        assertThat(CsrfGuard.isUrlEncodedForm(null)).isFalse();
    }
}
