package dev.chirp.sessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.testkit.Await;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The cleanup of expired rows: two nodes at once, under traffic, and on the store's own schedule. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcCleanupTest {

    // Not the common pool: on a 2-core machine it has one worker (and JDK 25's CompletableFuture uses it even
    // then), so tasks meant to overlap would run one after another, or wait forever behind a loop.
    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-async");
        thread.setDaemon(true);
        return thread;
    });


    private static final String TABLE = "cleanup_test_session";
    private static final int EXPIRED = 100_000;
    private static final int LIVE = 1_000;

    private Postgres pg;
    private HikariDataSource nodeA;
    private HikariDataSource nodeB;

    @BeforeAll
    void start() {
        pg = Postgres.shared();
        nodeA = pg.pool(4);
        nodeB = pg.pool(4);
        pg.execute(JdbcSessionStore.schema(TABLE));
    }

    @AfterAll
    void stop() {
        nodeA.close();
        nodeB.close();
    }

    @BeforeEach
    void emptyTable() {
        pg.execute("TRUNCATE " + TABLE);
    }

    private void insertRows(int count, String expiry, String prefix) {
        pg.execute("INSERT INTO " + TABLE + " (id_hash, user_tag, data, created_at, last_seen_at, expires_at) "
                + "SELECT sha256(('" + prefix + "' || i)::bytea), NULL, jsonb_build_object('n', i), now(), now(), "
                + expiry + " FROM generate_series(1, " + count + ") AS i");
    }

    @Test
    void twoNodesCleaningAtOnceDeleteEveryExpiredRowOnceWithoutDeadlockAndKeepTheLiveOnes() throws Exception {
        insertRows(EXPIRED, "now() - interval '1 minute' - i * interval '1 millisecond'", "expired-");
        insertRows(LIVE, "now() + interval '1 day'", "live-");
        pg.execute("ANALYZE " + TABLE);
        try (JdbcSessionStore a = store(nodeA); JdbcSessionStore b = store(nodeB)) {
            // Sessions keep being written while both nodes clean: neither waits for the other's locks.
            Map<String, Object> session = a.save(null, Map.of("k", 0), Duration.ofDays(1));
            AtomicBoolean cleaning = new AtomicBoolean(true);
            AtomicInteger writes = new AtomicInteger();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                while (cleaning.get()) {
                    int n = writes.incrementAndGet();
                    assertThat(b.save(session, Map.of("k", n), SessionChanges.of(Set.of("k"), Set.of()),
                            Duration.ofDays(1))).isEqualTo(session);
                }
            }, ASYNC);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Long> byA = CompletableFuture.supplyAsync(() -> cleanAfter(go, a), ASYNC);
            CompletableFuture<Long> byB = CompletableFuture.supplyAsync(() -> cleanAfter(go, b), ASYNC);
            go.countDown();
            long deletedByA = byA.get(10, TimeUnit.MINUTES);
            long deletedByB = byB.get(10, TimeUnit.MINUTES);
            cleaning.set(false);
            traffic.get(1, TimeUnit.MINUTES);

            // None twice: the two counts add up to exactly the expired rows.
            assertThat(deletedByA + deletedByB).isEqualTo(EXPIRED);
            assertThat(pg.queryLong("SELECT count(*) FROM " + TABLE)).isEqualTo(LIVE + 1);
            assertThat(pg.queryLong("SELECT count(*) FROM " + TABLE + " WHERE expires_at <= now()")).isZero();
            assertThat(a.load(session)).isEqualTo(Map.of("k", writes.get()));
            assertThat(writes.get()).isPositive();
        }
    }

    @Test
    void theCleanupUsesTheExpiryIndexNotATableScan() {
        insertRows(EXPIRED, "now() + interval '1 day'", "live-");
        insertRows(10, "now() - interval '1 minute'", "expired-");
        pg.execute("ANALYZE " + TABLE);
        String plan = pg.queryLines("EXPLAIN " + new SessionTable(TABLE).deleteExpired.replace("?", "500"));
        assertThat(plan).contains("cleanup_test_session_expires_at_idx").doesNotContain("Seq Scan");
    }

    @Test
    void theScheduleDeletesExpiredRowsByItself() {
        insertRows(1_000, "now() - interval '1 minute'", "expired-");
        try (JdbcSessionStore scheduled = JdbcSessionStore.builder(nodeA).tableName(TABLE)
                .cleanupInterval(Duration.ofSeconds(1)).cleanupBatchSize(100).build()) {
            Await.until(Duration.ofSeconds(60), () -> "expired rows left: "
                    + pg.queryLong("SELECT count(*) FROM " + TABLE),
                    () -> pg.queryLong("SELECT count(*) FROM " + TABLE) == 0);
            assertThat(scheduled.isAvailable()).isTrue();
        }
    }

    private static JdbcSessionStore store(HikariDataSource node) {
        return JdbcSessionStore.builder(node).tableName(TABLE).cleanupInterval(Duration.ZERO).cleanupBatchSize(500)
                .build();
    }

    private static long cleanAfter(CountDownLatch go, JdbcSessionStore store) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return store.deleteExpired();
    }
}
