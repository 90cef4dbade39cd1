package dev.chirp.sessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.testkit.Await;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A database that goes away and comes back: calls fail closed and fast, and the store recovers by itself. */
class JdbcOutageTest {

    @Test
    void aRestartedDatabaseFailsCallsClosedThenServesTheSameSessionsWithoutARestart() {
        try (Postgres pg = Postgres.own(); HikariDataSource pool = pg.pool(4);
                JdbcSessionStore store = JdbcSessionStore.builder(pool).createTableIfMissing(true)
                        .timeout(Duration.ofSeconds(1)).cleanupInterval(Duration.ZERO).build()) {
            Map<String, Object> session = store.save(null, Map.of("user", "alice"), Duration.ofDays(1));

            pg.stop();
            assertThatThrownBy(() -> store.load(session))
                    .isInstanceOf(SessionStoreException.class)
                    .hasMessageStartingWith("session store failed: PostgreSQL (table chirp_session) did not complete "
                            + "SELECT (")
                    .hasMessageNotContaining("password");
            assertThat(store.isAvailable()).isFalse();
            // While it is down, calls fail at once without waiting for a connection.
            assertThatThrownBy(() -> store.save(session, Map.of("user", "alice", "k", 1),
                    SessionChanges.of(Set.of("k"), Set.of()), Duration.ofDays(1)))
                    .isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining("not sent: PostgreSQL stopped answering");

            pg.start();
            Await.until(Duration.ofSeconds(60), () -> "the store to see the database again", store::isAvailable);
            assertThat(store.load(session)).isEqualTo(Map.of("user", "alice"));
            assertThat(store.save(session, Map.of("user", "alice", "k", 1), SessionChanges.of(Set.of("k"), Set.of()),
                    Duration.ofDays(1))).isEqualTo(session);
        }
    }

    @Test
    void aDatabaseThatStopsAnsweringFailsTheCallWithinTheTimeout() throws Exception {
        Postgres pg = Postgres.shared();
        try (HikariDataSource pool = pg.pool(4);
                JdbcSessionStore store = JdbcSessionStore.builder(pool).tableName("outage_test_session")
                        .createTableIfMissing(true).timeout(Duration.ofMillis(500)).cleanupInterval(Duration.ZERO).build()) {
            Map<String, Object> session = store.save(null, Map.of("user", "bob"), Duration.ofDays(1));
            // Another connection holds the row's lock, as a hung statement or a stuck server would keep
            // this call waiting: the network timeout ends the wait.
            try (var holder = pool.getConnection()) {
                holder.setAutoCommit(false);
                try (var s = holder.createStatement()) {
                    s.execute("LOCK TABLE outage_test_session IN ACCESS EXCLUSIVE MODE");
                }
                assertThatThrownBy(() -> store.load(session))
                        .isInstanceOf(SessionStoreException.class)
                        .hasMessageContaining("did not complete SELECT");
                holder.rollback();
            }
            Await.until(Duration.ofSeconds(60), () -> "the store to recover", store::isAvailable);
            assertThat(store.load(session)).isEqualTo(Map.of("user", "bob"));
        }
    }
}
