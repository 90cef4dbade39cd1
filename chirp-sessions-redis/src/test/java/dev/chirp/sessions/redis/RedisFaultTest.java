package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.testkit.Await;
import dev.chirp.sessions.testkit.LogCapture;
import dev.chirp.sessions.testkit.Browser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Kills Redis (SIGKILL) and starts it again while eight clients run read-modify-write loops through one
 * shared store, then checks that no client ever saw another's session, no data sits under an id that
 * was not issued to its owner, counters never jumped, and every client recovered.
 */
class RedisFaultTest {

    private static final int CLIENTS = 8;

    /** What one client saw, checked after the run. */
    private static final class Client {
        final String name;
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final List<String> violations = new CopyOnWriteArrayList<>();
        int successes;
        int failures;
        int successesAfterRestart;

        Client(String name) {
            this.name = name;
        }
    }

    @Test
    void killingRedisUnderLoadNeverMixesSessionsAndTheStoreRecovers() throws Exception {
        // Killing Redis is meant to be logged: captured (and checked below), not printed into the build.
        try (LogCapture log = LogCapture.of("dev.chirp.sessions.redis");
             RedisProcess server = RedisProcess.launch();
             RedisSessionStore store = RedisSessionStore.builder(server.uri())
                     .commandTimeout(Duration.ofMillis(500)).build();
             RedisInspector redis = new RedisInspector(List.of(server.uri()))) {
            SessionMiddleware middleware = new SessionMiddleware(
                    SessionConfig.builder(RedisStoreContract.SECRET).store(store).build());
            AtomicInteger generation = new AtomicInteger(); // bumped when Redis dies: data may vanish
            CountDownLatch stop = new CountDownLatch(1);
            List<Client> clients = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Client client = new Client("client-" + c);
                clients.add(client);
                Thread thread = new Thread(() -> run(client, new Browser(middleware), generation, stop), client.name);
                threads.add(thread);
                thread.start();
            }

            Await.until(Duration.ofSeconds(15), () -> "every client has a few sessions in Redis",
                    () -> clients.stream().allMatch(c -> count(c, () -> c.successes) >= 20));
            generation.incrementAndGet();
            server.kill();
            Await.until(Duration.ofSeconds(15), () -> "every client saw Redis gone",
                    () -> clients.stream().allMatch(c -> count(c, () -> c.failures) >= 1));
            server.start();
            generation.incrementAndGet();
            Await.until(Duration.ofSeconds(15), () -> "every client recovered",
                    () -> clients.stream().allMatch(RedisFaultTest::recovered));
            Await.until(Duration.ofSeconds(15), () -> "every client ran on after recovering",
                    () -> clients.stream().allMatch(c -> count(c, () -> c.successesAfterRestart) >= 20));
            stop.countDown();
            for (Thread thread : threads) {
                thread.join(10_000);
            }

            Map<String, String> ownerOfKey = new HashMap<>();
            for (Client client : clients) {
                assertThat(client.violations).as(client.name).isEmpty();
                assertThat(client.failures).as(client.name + " failures while Redis was down").isPositive();
                assertThat(recovered(client)).as(client.name + " recovered").isTrue();
                for (String id : client.ids) {
                    assertThat(ownerOfKey.put(RedisSessionStore.DEFAULT_KEY_PREFIX + "s:" + RedisKeys.hashOf(id),
                            client.name)).as("id issued to two clients").isNull();
                }
            }
            List<String> keys = redis.keys();
            assertThat(keys).isNotEmpty();
            for (String key : keys) {
                String owner = redis.hash(key).get("owner").replace("\"", "");
                // Every key holds its owner's data under an id that was issued to that owner, or is the
                // leftover of a write whose answer was lost with the server (then nobody holds the id).
                assertThat(clients).extracting(c -> c.name).contains(owner);
                if (ownerOfKey.containsKey(key)) {
                    assertThat(ownerOfKey.get(key)).as("owner of data under " + key).isEqualTo(owner);
                }
            }
            assertThat(log.warnings()).as("the outage is logged").isNotEmpty();
        }
    }

    private static int count(Client client, IntSupplier counter) {
        synchronized (client) {
            return counter.getAsInt();
        }
    }

    private static boolean recovered(Client client) {
        synchronized (client) {
            return client.successesAfterRestart >= 5;
        }
    }

    private static void run(Client client, Browser browser, AtomicInteger generation, CountDownLatch stop) {
        Integer confirmed = null;       // the counter as last written by a request that succeeded
        Integer attempted = null;       // written by a request that failed: it may or may not have landed
        int confirmedGeneration = generation.get();
        boolean failedSinceConfirmed = false;
        int round = 0;
        while (stop.getCount() > 0) {
            round++;
            boolean regenerate = round % 7 == 0;
            int startGeneration = generation.get();
            Object[] seen = new Object[2];
            int[] wrote = new int[1];
            try {
                browser.request(s -> {
                    seen[0] = s.get("owner");
                    seen[1] = s.get("n");
                    int n = seen[1] == null ? 0 : ((Number) seen[1]).intValue();
                    if (regenerate) {
                        s.regenerate();
                    }
                    s.put("owner", client.name);
                    s.put("n", n + 1);
                    wrote[0] = n + 1;
                });
            } catch (SessionStoreException e) {
                synchronized (client) {
                    client.failures++;
                }
                if (wrote[0] != 0) {
                    attempted = wrote[0];
                }
                failedSinceConfirmed = true;
                LockSupport.parkNanos(5_000_000); // back off like a client would before it retries
                continue;
            } catch (RuntimeException e) {
                client.violations.add("unexpected " + e);
                continue;
            }
            if (seen[0] != null && !client.name.equals(seen[0])) {
                client.violations.add("round " + round + ": saw the session of " + seen[0]);
            }
            Integer n = seen[1] == null ? null : ((Number) seen[1]).intValue();
            boolean mayHaveLost = confirmed == null || failedSinceConfirmed || confirmedGeneration != generation.get()
                    || startGeneration != generation.get();
            if (n == null ? !mayHaveLost : !(n.equals(confirmed) || n.equals(attempted))) {
                client.violations.add("round " + round + ": read n=" + n + " after writing " + confirmed
                        + (attempted == null ? "" : " (attempted " + attempted + ")"));
            }
            confirmed = wrote[0];
            attempted = null;
            failedSinceConfirmed = false;
            confirmedGeneration = startGeneration;
            if (browser.cookie() != null) {
                client.ids.add(RedisStoreContract.sessionId(browser));
            }
            synchronized (client) {
                client.successes++;
                if (generation.get() >= 2) {
                    client.successesAfterRestart++;
                }
            }
        }
    }
}
