package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.it.Browser.Reply;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many clients at once on one real server, each with its own cookie jar, each doing sequential
 * read-modify-write requests: every client must see its own counter go 1, 2, 3, ... with no gap, no
 * value of another client, and no 5xx.
 */
class ConcurrencyTest {

    private static final int CLIENTS = 32;
    private static final int REQUESTS = 500;

    enum Kind {
        JETTY, TOMCAT, JDK;

        TestServer start(Apps apps) throws Exception {
            return switch (this) {
                case JETTY -> JettyServer.start(apps);
                case TOMCAT -> TomcatServer.start(apps);
                case JDK -> JdkServer.start(apps);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyClientSeesItsOwnCounterClimbWithoutGapsUnderLoad(Kind kind) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (TestServer server = kind.start(new Apps())) {
            HttpClient http = Browser.newClient(HttpClient.newBuilder());
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    Browser browser = new Browser(http, server.base());
                    // A per-client mark in the session shows any value that leaked from another client.
                    browser.get("/app/put?k=owner&v=client-" + client);
                    int seen = 0;
                    for (int i = 1; i <= REQUESTS && problems.size() < 10; i++) {
                        Reply reply = browser.get("/app/count");
                        if (reply.status() != 200 || !reply.body().equals("count=" + i)
                                || reply.setCookies().size() != 1) {
                            problems.add("client " + client + " request " + i + ": " + reply);
                        }
                        seen++;
                    }
                    Reply owner = browser.get("/app/get?k=owner");
                    if (!owner.body().equals("client-" + client)) {
                        problems.add("client " + client + " ended with the session of " + owner.body());
                    }
                    return seen;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                // A hang guard only: the test asserts behaviour, never speed (the JDK server needs about
                // 20 s here on an idle 2-core machine, several times that on a loaded one).
                total += f.get(30, TimeUnit.MINUTES);
            }
            assertThat(problems).isEmpty();
            assertThat(total).isEqualTo(CLIENTS * REQUESTS);
        } finally {
            clients.shutdownNow();
        }
    }
}
