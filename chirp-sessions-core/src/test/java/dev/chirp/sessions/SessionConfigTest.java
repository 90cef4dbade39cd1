package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SessionConfigTest {

    private static final String SECRET = "config-test-secret-0123456789-0123456789";

    private static void assertRejected(UnaryOperator<SessionConfig.Builder> setup, String message) {
        assertThatThrownBy(() -> setup.apply(SessionConfig.builder(SECRET)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message);
    }

    @Test
    void defaultsAreChirps() {
        SessionConfig config = SessionConfig.builder(SECRET).build();
        assertThat(config.cookieName()).isEqualTo("chirp_session");
        assertThat(config.maxAge()).isEqualTo(Duration.ofDays(1));
        assertThat(config.path()).isEqualTo("/");
        assertThat(config.domain()).isEmpty();
        assertThat(config.secure()).isFalse();
        assertThat(config.httpOnly()).isTrue();
        assertThat(config.sameSite()).isEqualTo(SameSite.LAX);
        assertThat(config.partitioned()).isFalse();
        assertThat(config.idleTimeout()).isEmpty();
        assertThat(config.absoluteTimeout()).isEmpty();
        assertThat(config.salt()).isEqualTo("itsdangerous");
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.refreshThreshold()).isEqualTo(0.5);
        assertThat(config.maxCookieBytes()).isEqualTo(4096);
        assertThat(config.store()).isInstanceOf(CookieSessionStore.class);
        assertThat(config.fallbackSecretCount()).isZero();
    }

    @Test
    void emptySecretIsRejected() {
        assertThatThrownBy(() -> SessionConfig.builder("").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("secretKey must not be empty: \"\"; generate one with 'chirp-session keygen' and load "
                        + "it from the environment (for example System.getenv(\"CHIRP_SESSION_SECRET\"))");
        assertThatThrownBy(() -> SessionConfig.builder(null).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("secretKey must not be empty: null; ");
    }

    @Test
    void emptyFallbackSecretIsRejected() {
        assertRejected(b -> b.fallbackSecrets("old-secret", ""),
                "fallbackSecrets must not contain an empty secret: entry 1 is \"\"; remove it");
    }

    @Test
    void fallbackEqualToTheCurrentSecretIsRejectedWithoutShowingIt() {
        assertRejected(b -> b.fallbackSecrets(SECRET),
                "fallbackSecrets must not repeat the current secretKey: entry 0 (value hidden); remove it, the "
                        + "current secret is always tried first");
    }

    @Test
    void cookieNameMustBeAToken() {
        assertRejected(b -> b.cookieName("my session"),
                "cookieName must be an RFC 6265 token (visible ASCII, none of ()<>@,;:\\\"/[]?={} or space): "
                        + "\"my session\"; use letters, digits, '-', '_' or '.', such as \"chirp_session\"");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).cookieName("a;b").build())
                .hasMessageContaining("\"a;b\"");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).cookieName("").build())
                .hasMessageContaining(": \"\";");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).cookieName("s\u00e9ss").build())
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void maxAgeMustBeWholePositiveSeconds() {
        assertRejected(b -> b.maxAge(Duration.ZERO),
                "maxAge must be a positive whole number of seconds: PT0S; use Duration.ofSeconds(...), "
                        + "Duration.ofHours(...) or Duration.ofDays(...)");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).maxAge(Duration.ofMillis(1500)).build())
                .hasMessageStartingWith("maxAge must be a positive whole number of seconds: PT1.5S;");
    }

    @Test
    void pathMustNotContainSemicolonOrControlCharacters() {
        assertRejected(b -> b.path("/a;Domain=evil.com"),
                "path must start with '/' and contain no ';', control or non-ASCII characters: "
                        + "\"/a;Domain=evil.com\"; use a plain URL path such as \"/\" or \"/app\"");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).path("/a\r\nX: y").build())
                .hasMessageContaining("\"/a\\u000d\\u000aX: y\"");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).path("app").build())
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void domainMustBeAPlainHostName() {
        assertRejected(b -> b.domain("example.com; Secure"),
                "domain must be a host name (letters, digits, '-' and '.', no scheme, port or path): "
                        + "\"example.com; Secure\"; use a name such as \"example.com\", or null for a host-only cookie");
        for (String bad : List.of("https://example.com", "example.com:8443", "example.com/app", "", ".", "a..b",
                "ex ample.com")) {
            assertThatThrownBy(() -> SessionConfig.builder(SECRET).domain(bad).build()).as(bad)
                    .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("domain must be a host name");
        }
        assertThat(SessionConfig.builder(SECRET).domain(".example.com").build().domain()).contains(".example.com");
    }

    @Test
    void cookiePrefixesAreMatchedWithoutRegardToCase() {
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).cookieName("__host-sid").build())
                .hasMessageStartingWith("cookieName with the __Host- prefix must be used with secure(true)");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).cookieName("__SECURE-sid").build())
                .hasMessageStartingWith("cookieName with the __Secure- prefix must be used with secure(true)");
    }

    @Test
    void lifetimesAreCappedAt400Days() {
        assertRejected(b -> b.maxAge(Duration.ofDays(401)),
                "maxAge must be at most 400 days: PT9624H; browsers cap cookie lifetimes there (RFC 6265bis), "
                        + "so use Duration.ofDays(400) or less");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).idleTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build())
                .hasMessageStartingWith("idleTimeout must be at most 400 days or null");
        assertThat(SessionConfig.builder(SECRET).maxAge(Duration.ofDays(400)).build().maxAge())
                .isEqualTo(Duration.ofDays(400));
    }

    @Test
    void sameSiteNoneNeedsSecure() {
        assertRejected(b -> b.sameSite(SameSite.NONE),
                "sameSite must be LAX or STRICT when secure is false: NONE; browsers reject SameSite=None cookies "
                        + "without Secure, so call secure(true) (and serve over HTTPS) or use SameSite.LAX");
        assertThat(SessionConfig.builder(SECRET).sameSite(SameSite.NONE).secure(true).build().sameSite())
                .isEqualTo(SameSite.NONE);
    }

    @Test
    void partitionedNeedsSecure() {
        assertRejected(b -> b.partitioned(true),
                "partitioned must be false when secure is false: true; browsers require Secure on Partitioned "
                        + "cookies, so call secure(true)");
    }

    @Test
    void securePrefixNeedsSecure() {
        assertRejected(b -> b.cookieName("__Secure-sess"),
                "cookieName with the __Secure- prefix must be used with secure(true): \"__Secure-sess\" with "
                        + "secure=false; browsers drop such cookies, so call secure(true) or rename the cookie");
    }

    @Test
    void hostPrefixNeedsSecureRootPathAndNoDomain() {
        assertRejected(b -> b.cookieName("__Host-sess").secure(true).domain("example.com"),
                "cookieName with the __Host- prefix must be used with secure(true), path \"/\" and no domain: "
                        + "\"__Host-sess\" with secure=true, path=\"/\", domain=\"example.com\"; browsers drop such "
                        + "cookies, so fix those options or use the __Secure- prefix");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).cookieName("__Host-s").secure(true).path("/a").build())
                .hasMessageContaining("path=\"/a\"");
        assertThat(SessionConfig.builder(SECRET).cookieName("__Host-s").secure(true).build().cookieName())
                .isEqualTo("__Host-s");
    }

    @Test
    void timeoutsMustBePositive() {
        assertRejected(b -> b.idleTimeout(Duration.ofSeconds(-1)),
                "idleTimeout must be a positive whole number of seconds or null: PT-1S; use Duration.ofMinutes(...), "
                        + "or null to turn it off");
        assertRejected(b -> b.absoluteTimeout(Duration.ZERO),
                "absoluteTimeout must be a positive whole number of seconds or null: PT0S; use "
                        + "Duration.ofMinutes(...), or null to turn it off");
    }

    @Test
    void clockSkewMustBeSmall() {
        assertRejected(b -> b.clockSkew(Duration.ofHours(1)),
                "clockSkew must be between 0 and 5 minutes: PT1H; a few seconds covers real clock drift "
                        + "(default 5 seconds)");
    }

    @Test
    void refreshThresholdMustBeAFraction() {
        assertRejected(b -> b.refreshThreshold(1.5),
                "refreshThreshold must be between 0.0 and 1.0: 1.5; 0 re-issues the cookie on every read, 1 never, "
                        + "0.5 is the default");
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).refreshThreshold(Double.NaN).build())
                .hasMessageStartingWith("refreshThreshold must be between 0.0 and 1.0: NaN;");
    }

    @Test
    void maxCookieBytesMustBeSensible() {
        assertRejected(b -> b.maxCookieBytes(10),
                "maxCookieBytes must be between 256 and 65536: 10; browsers keep cookies up to 4096 bytes, the default");
    }

    @Test
    void nullStoreSaltAndClockAreRejected() {
        assertRejected(b -> b.store(null),
                "store must not be null: null; leave the default CookieSessionStore or pass a server-side store");
        assertRejected(b -> b.salt(null),
                "salt must not be null: null; leave it at the default \"itsdangerous\" to stay compatible with chirp");
        assertRejected(b -> b.clock(null), "clock must not be null: null; leave the default system clock");
        assertRejected(b -> b.sameSite(null),
                "sameSite must not be null: null; use SameSite.LAX (the default), STRICT or NONE");
    }

    @Test
    void toStringNeverShowsSecrets() {
        SessionConfig config = SessionConfig.builder(SECRET).fallbackSecrets("old-secret-value-xyz").build();
        assertThat(config.toString()).doesNotContain(SECRET).doesNotContain("old-secret-value-xyz")
                .contains("secretKey=(hidden)").contains("cookieName=chirp_session");
        assertThat(new SessionMiddleware(config).toString()).doesNotContain(SECRET);
    }

    @Test
    void errorMessagesNeverShowSecrets() {
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).fallbackSecrets(SECRET).build())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }
}
