package dev.chirp.sessions.spring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The smoke test of the Spring benchmark (the benchmark itself runs only from scripts/bench-spring): each
 * form of the app starts on port 0 against a real redis-server and serves login, read and write with a
 * working session kept where the form says.
 */
class BenchApplicationTest {

    private static final String SECRET = "spring-bench-test-secret-0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static BenchRedis redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = BenchRedis.start(null);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void eachFormServesTheEndpointsWithSessionsKeptWhereItSays(Form form) throws Exception {
        Map<String, Long> before = redis.commandStats();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BenchApplication.class)
                .profiles(form.profile())
                .properties("server.port=0", "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(), "CHIRP_SESSION_SECRET=" + SECRET)
                .run()) {
            URI base = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));

            HttpResponse<String> login = CLIENT.send(HttpRequest.newBuilder(base.resolve("/login?user=alice"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.body()).isEqualTo("user=alice");
            List<String> cookies = login.headers().allValues("Set-Cookie");
            assertThat(cookies).hasSize(1).allMatch(header -> header.startsWith(form.cookieName() + "="));
            String cookie = cookies.get(0).substring(0, cookies.get(0).indexOf(';'));

            assertThat(get(base, "/read", cookie).body()).isEqualTo("user=alice");
            assertThat(get(base, "/read", null).body()).isEqualTo("user=null");
            HttpResponse<String> first = get(base, "/write", cookie);
            assertThat(first.body()).isEqualTo("counter=1");
            String next = first.headers().firstValue("Set-Cookie")
                    .map(header -> header.substring(0, header.indexOf(';'))).orElse(cookie);
            assertThat(get(base, "/write", next).body()).isEqualTo("counter=2");
            assertThat(get(base, "/read", next).headers().allValues("Set-Cookie"))
                    .noneMatch(header -> header.startsWith("JSESSIONID="));
        }
        Map<String, Long> used = Measurement.delta(before, redis.commandStats());
        switch (form) {
            case CHIRP_COOKIE -> assertThat(used).isEmpty();
            case CHIRP_REDIS -> assertThat(used).containsKeys("hgetall", "hset").doesNotContainKeys("get", "set");
            case SPRING_SESSION -> assertThat(used).containsKeys("hgetall", "hmset").doesNotContainKey("get");
        }
    }

    private static HttpResponse<String> get(URI base, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response;
    }
}
