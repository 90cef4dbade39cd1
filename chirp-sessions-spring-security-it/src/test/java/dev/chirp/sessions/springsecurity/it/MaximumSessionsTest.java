package dev.chirp.sessions.springsecurity.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.redis.RedisSessionStore;
import dev.chirp.sessions.springsecurity.StoreSessionRegistry;
import dev.chirp.sessions.springsecurity.it.SecureAppTest.Client;
import dev.chirp.sessions.springsecurity.it.SecureAppTest.Reply;
import dev.chirp.sessions.springsecurity.limited.LimitedSessionsApplication;
import dev.chirp.sessions.starterapp.TestRedis;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;

/**
 * Spring Security's concurrent session control ({@code sessionManagement().maximumSessions(2)}) on chirp
 * sessions in the Redis store, through the starter's {@code SessionRegistry} on the store's
 * {@link UserSessionRegistry}: two real Boot applications on Tomcat (one that ends the least recently
 * seen session at the third login, one that refuses the third login) against one real Redis, driven
 * through real HTTP. No {@code HttpSession} is ever created.
 */
class MaximumSessionsTest {

    private static final String SECRET = "maximum-sessions-it-secret-0123456789abcdef";

    private static TestRedis redis;
    private static ConfigurableApplicationContext ending;
    private static ConfigurableApplicationContext refusing;

    @BeforeAll
    static void start() {
        redis = new TestRedis();
        ending = start("ending:", false);
        refusing = start("refusing:", true);
    }

    private static ConfigurableApplicationContext start(String keyPrefix, boolean refuse) {
        return new SpringApplicationBuilder(LimitedSessionsApplication.class)
                .properties("server.port=0", "chirp.sessions.secret=" + SECRET, "chirp.sessions.store=redis",
                        "chirp.sessions.redis.key-prefix=" + keyPrefix, "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(), "spring.data.redis.password=" + TestRedis.PASSWORD,
                        "limited.refuse=" + refuse, "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {ending, refusing}) {
            if (app != null) {
                app.close();
            }
        }
        redis.close();
    }

    private int httpSessionsBefore;

    @BeforeEach
    void countHttpSessions() {
        httpSessionsBefore = LimitedSessionsApplication.HTTP_SESSIONS_CREATED.get();
    }

    @AfterEach
    void noHttpSessionWasCreated() {
        assertThat(LimitedSessionsApplication.HTTP_SESSIONS_CREATED.get() - httpSessionsBefore)
                .as("HttpSessions the container created during the test").isZero();
    }

    @Test
    void theStarterExposesTheStoreAsTheRegistryAndSpringSecuritysSessionRegistryOnIt() {
        assertThat(ending.getBean(UserSessionRegistry.class)).isSameAs(ending.getBean(RedisSessionStore.class));
        assertThat(ending.getBean(SessionRegistry.class)).isInstanceOf(StoreSessionRegistry.class);
    }

    @Test
    void aLoginPastTheLimitEndsTheLeastRecentlySeenSession() throws Exception {
        Client first = loggedIn(ending, "ada");
        Client second = loggedIn(ending, "ada");
        // The first session works after the second logged in: now the second is the least recently seen.
        assertThat(first.get("/work").body()).isEqualTo("ada worked");
        assertThat(sessionsOf(ending, "ada")).hasSize(2);

        Client third = loggedIn(ending, "ada");

        assertThat(whoami(second).status()).as("the least recently seen session ended").isEqualTo(302);
        assertThat(whoami(first).body()).isEqualTo("ada");
        assertThat(whoami(third).body()).isEqualTo("ada");
        assertThat(sessionsOf(ending, "ada")).hasSize(LimitedSessionsApplication.MAX_SESSIONS);
    }

    @Test
    void aLoginPastTheLimitIsRefusedWhenConfiguredAndTheSessionsKeepWorking() throws Exception {
        Client first = loggedIn(refusing, "ada");
        Client second = loggedIn(refusing, "ada");

        Client third = new Client(base(refusing));
        Reply refused = third.login("ada", LimitedSessionsApplication.PASSWORD);
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).endsWith("/login?error");

        assertThat(whoami(third).status()).as("the refused login").isEqualTo(302);
        assertThat(whoami(first).body()).isEqualTo("ada");
        assertThat(whoami(second).body()).isEqualTo("ada");
        assertThat(sessionsOf(refusing, "ada")).hasSize(2);

        // Ending one (as a "your devices" page does) makes room: the limit counts live sessions only.
        assertThat(refusing.getBean(UserSessionRegistry.class).revoke("ada", first.get("/fingerprint").body()))
                .isTrue();
        assertThat(loggedIn(refusing, "ada")).isNotNull();
        assertThat(whoami(first).status()).isEqualTo(302);
    }

    @Test
    void expiringOrRemovingAListedSessionEndsItInTheStore() throws Exception {
        Client kept = loggedIn(ending, "grace");
        Client expired = loggedIn(ending, "grace");
        SessionRegistry registry = ending.getBean(SessionRegistry.class);
        List<SessionInformation> listed = registry.getAllSessions("grace", false);
        assertThat(listed).extracting(SessionInformation::getSessionId).as("most recently seen first")
                .containsExactly(expired.get("/fingerprint").body(), kept.get("/fingerprint").body());
        assertThat(listed).allMatch(info -> info.getPrincipal().equals("grace") && !info.isExpired());

        listed.get(0).expireNow();
        assertThat(whoami(expired).status()).isEqualTo(302);
        assertThat(whoami(kept).body()).isEqualTo("grace");

        registry.removeSessionInformation(listed.get(1).getSessionId());
        assertThat(whoami(kept).status()).isEqualTo(302);
        assertThat(sessionsOf(ending, "grace")).isEmpty();
    }

    private static Client loggedIn(ConfigurableApplicationContext app, String user) throws Exception {
        Client client = new Client(base(app));
        Reply login = client.login(user, LimitedSessionsApplication.PASSWORD);
        assertThat(login.status()).as("login of %s", user).isEqualTo(302);
        assertThat(login.location()).doesNotContain("error");
        assertThat(whoami(client).body()).isEqualTo(user);
        return client;
    }

    private static Reply whoami(Client client) throws Exception {
        return client.get("/whoami");
    }

    private static List<UserSession> sessionsOf(ConfigurableApplicationContext app, String user) {
        return app.getBean(UserSessionRegistry.class).sessionsOf(user, 10).sessions();
    }

    private static URI base(ConfigurableApplicationContext app) {
        return URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
    }
}
