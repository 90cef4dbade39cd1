package dev.chirp.sessions.starterapp;

import dev.chirp.sessions.springboot.autoconfigure.SessionMetrics;
import dev.chirp.sessions.springboot.autoconfigure.SessionSecretException;
import dev.chirp.sessions.springboot.autoconfigure.ChirpSessionsAutoConfiguration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The starter in a real Boot application on a free port, driven by a real HTTP client: properties only,
 * no chirp bean written by the application.
 */
class StarterAppTest {

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        app = StarterApp.start(Map.of("chirp.sessions.secret", StarterApp.SECRET,
                "management.endpoints.web.exposure.include", "metrics,health"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void sessionsWorkWithTheSecretPropertyAloneAndNoJsessionidIsEverSet() {
        HttpBrowser browser = new HttpBrowser(app);

        assertThat(browser.get("/count").body()).isEqualTo("n=1");
        assertThat(browser.get("/count").body()).isEqualTo("n=2");
        assertThat(browser.post("/login?username=ada").body()).isEqualTo("user=ada");
        assertThat(browser.get("/whoami").body()).isEqualTo("user=ada");
        assertThat(browser.post("/logout").body()).isEqualTo("anonymous");
        assertThat(browser.get("/whoami").body()).isEqualTo("anonymous");

        assertThat(browser.allSetCookies).isNotEmpty().allMatch(h -> h.startsWith("chirp_session="));
        assertThat(browser.allSetCookies).noneMatch(h -> h.toUpperCase().contains("JSESSIONID"));
    }

    @Test
    void requestsThatNeverTouchTheSessionGetNoCookie() {
        HttpBrowser browser = new HttpBrowser(app);
        HttpResponse<String> response = browser.get("/health-probe");

        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void filterIsRegisteredForEveryDispatchTypeAsyncAheadOfSpringSecurity() {
        @SuppressWarnings("unchecked")
        FilterRegistrationBean<SessionFilter> registration = app.getBean("chirpSessionFilter",
                FilterRegistrationBean.class);

        assertThat(registration.isAsyncSupported()).isTrue();
        assertThat(registration.getOrder()).isEqualTo(ChirpSessionsAutoConfiguration.DEFAULT_FILTER_ORDER)
                .isLessThan(-100); // Spring Security's default filter order
        assertThat(dispatcherTypes(registration)).isEqualTo(EnumSet.of(DispatcherType.REQUEST,
                DispatcherType.FORWARD, DispatcherType.ASYNC, DispatcherType.ERROR));
    }

    @Test
    void sessionMetricsAreListedAndCountedAtActuatorMetrics() {
        HttpBrowser browser = new HttpBrowser(app);
        double before = count("created");
        browser.get("/count");

        String names = browser.get("/actuator/metrics").body();
        assertThat(names).contains(SessionMetrics.EVENTS, SessionMetrics.COOKIE_SIZE, SessionMetrics.STORE_CALLS);
        assertThat(count("created")).isEqualTo(before + 1);
        String sizes = browser.get("/actuator/metrics/" + SessionMetrics.COOKIE_SIZE + "?tag=type:created").body();
        assertThat(sizes).contains("\"baseUnit\":\"bytes\"");
    }

    @Test
    void tamperedCookieIsCountedAsRejectedForItsSignatureAndGetsAnEmptySession() {
        HttpBrowser browser = new HttpBrowser(app);
        browser.get("/count");
        double before = count("rejected", "bad_signature");
        String cookie = browser.jar.get("chirp_session");
        browser.jar.put("chirp_session", cookie.substring(0, cookie.length() - 1)
                + (cookie.endsWith("A") ? "B" : "A"));

        assertThat(browser.get("/count").body()).isEqualTo("n=1");
        assertThat(count("rejected", "bad_signature")).isEqualTo(before + 1);
    }

    private double count(String type) {
        return count(type, "none");
    }

    @SuppressWarnings("unchecked")
    private double count(String type, String reason) {
        String body = new HttpBrowser(app).get("/actuator/metrics/" + SessionMetrics.EVENTS + "?tag=type:" + type
                + "&tag=reason:" + reason).body();
        try {
            Map<String, Object> json = (Map<String, Object>) SessionJson.read(body);
            List<Map<String, Object>> measurements = (List<Map<String, Object>>) json.get("measurements");
            return ((Number) measurements.get(0).get("value")).doubleValue();
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static EnumSet<DispatcherType> dispatcherTypes(FilterRegistrationBean<?> registration) {
        try {
            // Boot keeps the dispatcher types without a public getter on every version we support.
            java.lang.reflect.Field field = org.springframework.boot.web.servlet.AbstractFilterRegistrationBean.class
                    .getDeclaredField("dispatcherTypes");
            field.setAccessible(true);
            return (EnumSet<DispatcherType>) field.get(registration);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyPropertyReachesTheCookie() {
        try (ConfigurableApplicationContext custom = StarterApp.start(Map.of(
                "chirp.sessions.secret", StarterApp.SECRET,
                "chirp.sessions.cookie-name", "sid",
                "chirp.sessions.max-age", "1h",
                "chirp.sessions.path", "/",
                "chirp.sessions.same-site", "strict",
                "chirp.sessions.secure", "true",
                "chirp.sessions.http-only", "false",
                "chirp.sessions.max-cookie-size", "2KB",
                "chirp.sessions.idle-timeout", "30m"))) {
            HttpBrowser browser = new HttpBrowser(custom);
            browser.get("/count");

            assertThat(browser.allSetCookies).hasSize(1);
            assertThat(browser.allSetCookies.get(0)).startsWith("sid=").contains("Max-Age=1800",
                    "SameSite=Strict", "Secure", "Path=/").doesNotContain("HttpOnly");
            SessionConfig config = custom.getBean(SessionConfig.class);
            assertThat(config.maxAge()).hasHours(1);
            assertThat(config.maxCookieBytes()).isEqualTo(2048);
        }
    }

    @Test
    void aHostPrefixedCookieNameAloneTurnsSecureOnAndFollowsThePrefixRules() {
        try (ConfigurableApplicationContext custom = StarterApp.start(Map.of(
                "chirp.sessions.secret", StarterApp.SECRET,
                "chirp.sessions.cookie-name", "__Host-chirp_session"))) {
            HttpBrowser browser = new HttpBrowser(custom);
            browser.get("/count");

            assertThat(browser.allSetCookies).hasSize(1);
            assertThat(browser.allSetCookies.get(0)).startsWith("__Host-chirp_session=").contains("Secure", "Path=/")
                    .doesNotContain("Domain=");
            assertThat(custom.getBean(SessionConfig.class).secure()).isTrue();
        }
    }

    @Test
    void flaskFormatBringsFlasksCookieNameUnlessOneIsSet() {
        try (ConfigurableApplicationContext custom = StarterApp.start(Map.of(
                "chirp.sessions.secret", StarterApp.SECRET,
                "chirp.sessions.format", "flask",
                "chirp.sessions.verified-cookie-cache", "0"))) {
            HttpBrowser browser = new HttpBrowser(custom);

            assertThat(browser.get("/count").body()).isEqualTo("n=1");
            assertThat(browser.get("/count").body()).isEqualTo("n=2");
            assertThat(browser.allSetCookies).isNotEmpty().allMatch(h -> h.startsWith("session="));
            assertThat(custom.getBean(SessionConfig.class).verifiedCookieCacheBytes()).isZero();
        }
    }

    @Test
    void secretFromTheChirpEnvironmentVariableNameIsUsed() {
        // CHIRP_SESSION_SECRET is read from the Environment, where Boot puts the OS environment too.
        try (ConfigurableApplicationContext custom = StarterApp.start(Map.of(
                "CHIRP_SESSION_SECRET", StarterApp.SECRET))) {
            HttpBrowser browser = new HttpBrowser(custom);

            assertThat(browser.get("/count").body()).isEqualTo("n=1");
            assertThat(browser.get("/count").body()).isEqualTo("n=2");
        }
    }

    @Test
    void missingSecretFailsStartupWithAnAnalysisThatSaysWhatToSetAndHowToGenerateIt() {
        CapturedFailureAnalyses.REPORTED.clear();

        assertThatThrownBy(() -> StarterApp.startExpectingFailure(Map.of())).isInstanceOf(SessionSecretException.class);

        assertThat(CapturedFailureAnalyses.REPORTED).hasSize(1);
        FailureAnalysis analysis = CapturedFailureAnalyses.REPORTED.get(0);
        assertThat(analysis.getDescription()).isEqualTo("chirp-sessions signs session cookies with a secret, and "
                + "none is set: neither the property chirp.sessions.secret nor the environment variable "
                + "CHIRP_SESSION_SECRET has a value.");
        assertThat(analysis.getAction()).startsWith("Set chirp.sessions.secret (for example in "
                + "application.properties, or better the environment variable CHIRP_SESSION_SECRET) to at least 32 "
                + "random bytes. Generate one with:").contains("openssl rand -base64 32", "chirp-session keygen");
    }

    @Test
    void secretPropertyOfAnUnsetVariableFailsStartupAsUnsetNotAsTooShort() {
        // application.properties' "chirp.sessions.secret=${...}" with the variable unset: Boot binds the
        // placeholder's own text, 23 bytes for ${CHIRP_SESSION_SECRET}.
        String variable = "CHIRP_SESSION_SECRET_UNSET_" + Long.toHexString(System.nanoTime()).toUpperCase();
        assertThat(System.getenv(variable)).isNull();
        CapturedFailureAnalyses.REPORTED.clear();

        assertThatThrownBy(() -> StarterApp.startExpectingFailure(Map.of("chirp.sessions.secret", "${" + variable + "}")))
                .isInstanceOfSatisfying(SessionSecretException.class,
                        e -> assertThat(e.problem()).isEqualTo(SessionSecretException.Problem.MISSING));

        assertThat(CapturedFailureAnalyses.REPORTED).hasSize(1);
        FailureAnalysis analysis = CapturedFailureAnalyses.REPORTED.get(0);
        assertThat(analysis.getDescription()).isEqualTo("chirp-sessions signs session cookies with a secret, and "
                + "none is set: chirp.sessions.secret is the placeholder ${" + variable + "}, and no environment "
                + "variable, system property or other property resolved it.").doesNotContain("short");
        assertThat(analysis.getAction()).startsWith("Set chirp.sessions.secret");
    }

    @Test
    void placeholderSecretFailsStartupWithoutShowingIt() {
        CapturedFailureAnalyses.REPORTED.clear();
        String placeholder = "change-me-change-me-change-me-change-me";

        assertThatThrownBy(() -> StarterApp.startExpectingFailure(Map.of("chirp.sessions.secret", placeholder)))
                .isInstanceOf(SessionSecretException.class);

        assertThat(CapturedFailureAnalyses.REPORTED).hasSize(1);
        FailureAnalysis analysis = CapturedFailureAnalyses.REPORTED.get(0);
        assertThat(analysis.getDescription()).contains("not a real secret").doesNotContain(placeholder);
        assertThat(analysis.getAction()).contains("openssl rand -base64 32");
    }

    @Test
    void brokenOptionFailsStartupWithTheCoreRuleInTheAnalysis() {
        CapturedFailureAnalyses.REPORTED.clear();

        assertThatThrownBy(() -> StarterApp.startExpectingFailure(Map.of("chirp.sessions.secret", StarterApp.SECRET,
                "chirp.sessions.same-site", "none"))).isNotNull();

        assertThat(CapturedFailureAnalyses.REPORTED).hasSize(1);
        assertThat(CapturedFailureAnalyses.REPORTED.get(0).getDescription())
                .startsWith("chirp-sessions refused its configuration: ").contains("SameSite");
    }

    @Test
    void applicationBeansWinOverTheAutoConfiguredOnes() {
        try (ConfigurableApplicationContext custom = StarterApp.start(ManualBeansApp.class, Map.of())) {
            HttpBrowser browser = new HttpBrowser(custom);

            assertThat(browser.get("/count").body()).isEqualTo("n=1");
            assertThat(browser.allSetCookies).hasSize(1).allMatch(h -> h.startsWith("manual="));
            assertThat(custom.getBeansOfType(SessionMiddleware.class)).containsOnlyKeys("sessionMiddleware");
            assertThat(custom.getBeanNamesForType(SessionConfig.class)).isEmpty();
            assertThat(custom.containsBean("chirpSessionFilter")).isFalse();
        }
    }

    /** The README's manual beans, without any chirp.sessions.* property: the starter must back off. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(StarterApp.Pages.class)
    static class ManualBeansApp {

        @Bean
        SessionMiddleware sessionMiddleware() {
            return new SessionMiddleware(SessionConfig.builder(StarterApp.SECRET).cookieName("manual").build());
        }

        @Bean
        FilterRegistrationBean<SessionFilter> chirpSessions(SessionMiddleware middleware) {
            FilterRegistrationBean<SessionFilter> bean = new FilterRegistrationBean<>(new SessionFilter(middleware));
            bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC,
                    DispatcherType.ERROR);
            bean.setAsyncSupported(true);
            return bean;
        }
    }
}
