package dev.chirp.sessions.jdbc.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.chirp.sessions.jdbc.JdbcSessionStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rows and bytes per session in the PostgreSQL store, measured for docs/postgresql.md: stores N logged-in
 * sessions as the demo writes them (user id, CSRF token, a counter, the two stamps) through
 * {@code JdbcSessionStore} on an embedded PostgreSQL, then reads {@code pg_column_size} and
 * {@code pg_total_relation_size} after {@code VACUUM ANALYZE}.
 *
 * <p>Run: {@code java -cp chirp-sessions-jdbc-benchmarks/target/classes:"$(cat
 * chirp-sessions-jdbc-benchmarks/target/classpath.txt)" dev.chirp.sessions.jdbc.benchmarks.JdbcSizing 100000}
 */
public final class JdbcSizing {

    private static final int THREADS = 4;

    private JdbcSizing() {
    }

    /**
     * Measures.
     *
     * @param args the number of sessions (100000 if none)
     */
    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
            pool.setMaximumPoolSize(THREADS);
            try (JdbcSessionStore store = JdbcSessionStore.builder(pool).createTableIfMissing(true)
                    .cleanupInterval(Duration.ZERO).build()) {
                ExecutorService threads = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int first = t;
                    done.add(threads.submit(() -> {
                        for (int i = first; i < sessions; i += THREADS) {
                            Map<String, Object> data = new LinkedHashMap<>();
                            data.put("user_id", "user-" + i);
                            data.put("_csrf_token", "Xq3J6m0vV1o8d0g0Z1mN9bX2uT5yR8wE4kL7pQ0sA3c");
                            data.put("visits", i % 50);
                            data.put("__created_at", 1_796_000_000L + i);
                            data.put("__last_seen_at", 1_796_000_000L + i);
                            store.save(null, data, Duration.ofDays(1));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                threads.shutdown();
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE chirp_session");
                try (ResultSet r = s.executeQuery("SELECT count(*), avg(pg_column_size(t.*))::int,"
                        + " avg(pg_column_size(t.data))::int, avg(octet_length(t.data::text))::int,"
                        + " pg_total_relation_size('chirp_session'), pg_relation_size('chirp_session'),"
                        + " pg_indexes_size('chirp_session'), pg_relation_size('chirp_session_pkey'),"
                        + " pg_relation_size('chirp_session_expires_at_idx'),"
                        + " pg_relation_size('chirp_session_user_tag_idx') FROM chirp_session AS t")) {
                    r.next();
                    double rows = r.getLong(1);
                    System.out.printf("PostgreSQL %s, %,d sessions, %,d rows%n", c.getMetaData().getDatabaseProductVersion(),
                            sessions, r.getLong(1));
                    System.out.printf("row %d B (pg_column_size), data jsonb %d B (its JSON text %d B)%n", r.getInt(2),
                            r.getInt(3), r.getInt(4));
                    System.out.printf("table with indexes %,d B = %.0f B per session%n", r.getLong(5), r.getLong(5) / rows);
                    System.out.printf("heap %,d B = %.0f B per session%n", r.getLong(6), r.getLong(6) / rows);
                    System.out.printf("indexes %,d B = %.0f B per session (primary key %.0f, expires_at %.0f, user_tag %.0f)%n",
                            r.getLong(7), r.getLong(7) / rows, r.getLong(8) / rows, r.getLong(9) / rows,
                            r.getLong(10) / rows);
                }
            }
        }
    }
}
