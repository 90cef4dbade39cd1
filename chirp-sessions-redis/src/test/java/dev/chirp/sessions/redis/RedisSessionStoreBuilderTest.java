package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.testkit.LogCapture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Every configuration error message of the builder, and a build against a Redis that is not there. */
class RedisSessionStoreBuilderTest {

    private static RedisSessionStore.Builder anyBuilder() {
        return RedisSessionStore.builder("redis://127.0.0.1:6379");
    }

    @Test
    void nullUriIsRefusedWithAnExample() {
        assertThatThrownBy(() -> RedisSessionStore.builder((String) null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("uri must not be null: null; pass an address such as \"redis://localhost:6379\"");
        assertThatThrownBy(() -> RedisSessionStore.builder((RedisURI) null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("uri must not be null: null; pass an address such as "
                        + "RedisURI.create(\"redis://localhost:6379\")");
    }

    @Test
    void uriWithoutARedisSchemeIsRefusedWithTheFix() {
        assertThatThrownBy(() -> RedisSessionStore.builder("localhost:6379"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("uri must be a Redis URI (redis://, rediss://, redis-socket:// or redis-sentinel://): "
                        + "\"localhost:6379\"; write it as \"redis://host:6379\" or "
                        + "\"redis://:password@host:6379/0\" (percent-encode a password that contains / ? # or @)");
    }

    @Test
    void badUriMessageHidesThePassword() {
        assertThatThrownBy(() -> RedisSessionStore.builder("http://admin:hunter2@cache:6379"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"http://****@cache:6379\"")
                .hasMessageNotContaining("hunter2")
                .hasNoCause();
        assertThat(RedisSessionStore.hidePassword("redis://h:6379?password=hunter2&database=2"))
                .isEqualTo("redis://h:6379?password=****&database=2");
    }

    @Test
    void unparseableUriNeverShowsAPasswordWithSlashesInTheMessageOrTheLogs() {
        // A base64 password: its '/' makes the URI unparseable and once defeated the masking.
        String uri = "redis://:s3cr/Et+pw==@redis.internal:6379";
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        root.setLevel(Level.ALL);
        LogCapture captured = LogCapture.of("");
        List<LogRecord> logged = captured.records();
        try {
            assertThatThrownBy(() -> RedisSessionStore.builder(uri))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("uri must be a Redis URI (")
                    .hasMessageContaining(": \"redis://****@redis.internal:6379\"; ")
                    .hasNoCause()
                    .satisfies(e -> assertNoPassword(e.getMessage()));
            assertThatThrownBy(() -> RedisSessionStore.cluster("redis://a:1", uri))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("cluster seed uri must be a Redis URI (")
                    .satisfies(e -> assertNoPassword(e.getMessage()));
        } finally {
            captured.close();
            root.setLevel(before);
        }
        assertThat(logged).allSatisfy(r -> assertNoPassword(String.valueOf(r.getMessage())));
    }

    @Test
    void everythingUpToTheLastAtSignIsMasked() {
        assertThat(RedisSessionStore.hidePassword("redis://user:p@ss/w?rd#x@cache:6379/0"))
                .isEqualTo("redis://****@cache:6379/0");
        assertThat(RedisSessionStore.hidePassword("rediss://:pw@h1:6379")).isEqualTo("rediss://****@h1:6379");
        assertThat(RedisSessionStore.hidePassword("admin:hunter2@cache:6379")).isEqualTo("****@cache:6379");
        assertThat(RedisSessionStore.hidePassword("redis-sentinel://:pw@s1:26379,s2:26379#primary"))
                .isEqualTo("redis-sentinel://****@s1:26379,s2:26379#primary");
        assertThat(RedisSessionStore.hidePassword("redis://cache:6379/0")).isEqualTo("redis://cache:6379/0");
    }

    private static void assertNoPassword(String text) {
        assertThat(text).doesNotContain("s3cr").doesNotContain("Et+pw").doesNotContain("pw==");
    }

    @Test
    void keyPrefixMustBePlainText() {
        for (String bad : new String[] {"", "a b", "tab\t", "{sessions}:", "x}"}) {
            assertThatThrownBy(() -> anyBuilder().keyPrefix(bad))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("keyPrefix must be 1 to 256 characters without whitespace, control "
                            + "characters or braces: \"")
                    .hasMessageEndingWith("; use a namespace such as \"chirp:session:\" (braces would make a "
                            + "cluster hash tag and put every session on one node)");
        }
        assertThatThrownBy(() -> anyBuilder().keyPrefix(null)).hasMessageContaining("braces: null; ");
        assertThatThrownBy(() -> anyBuilder().keyPrefix("x".repeat(257))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> anyBuilder().keyPrefix("tab\t")).hasMessageContaining("\"tab\\u0009\"");
        anyBuilder().keyPrefix("myapp:sess:").keyPrefix("x".repeat(256));
    }

    @Test
    void commandTimeoutMustBeShortButPositive() {
        for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofMillis(-5), Duration.ofNanos(1),
                Duration.ofMinutes(2)}) {
            assertThatThrownBy(() -> anyBuilder().commandTimeout(bad))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("commandTimeout must be between 1 millisecond and 1 minute: " + bad
                            + "; a request waits this long for Redis before it fails, so keep it short (default "
                            + "2 seconds)");
        }
        anyBuilder().commandTimeout(Duration.ofMillis(1)).commandTimeout(Duration.ofMinutes(1));
    }

    @Test
    void clusterNeedsAtLeastOneTcpNode() {
        assertThatThrownBy(() -> RedisSessionStore.cluster())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cluster seed uris must name at least one node: []; pass one or more nodes, such as "
                        + "\"redis://node-1:6379\"");
        assertThatThrownBy(() -> RedisSessionStore.cluster((String[]) null))
                .hasMessage("cluster seed uris must not be null: null; pass one or more nodes, such as "
                        + "\"redis://node-1:6379\"");
        assertThatThrownBy(() -> RedisSessionStore.cluster(List.of(RedisURI.create("redis-socket:///tmp/r.sock"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cluster seed uri must be a redis:// or rediss:// address: redis-socket:///tmp/r.sock; "
                        + "Redis Cluster is reached over TCP, so pass a node's host and port");
        assertThatThrownBy(() -> RedisSessionStore.cluster("redis://a:1", null))
                .hasMessageStartingWith("cluster seed uri must not be null: null; ");
    }

    @Test
    void usingNeedsTheClientOrConnection() {
        assertThatThrownBy(() -> RedisSessionStore.using((RedisClient) null, RedisURI.create("redis://h")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("client must not be null: null; pass the application's RedisClient");
        assertThatThrownBy(() -> RedisSessionStore.using((RedisClusterClient) null))
                .hasMessage("client must not be null: null; pass the application's RedisClusterClient");
        assertThatThrownBy(() -> RedisSessionStore.using((StatefulRedisConnection<String, String>) null))
                .hasMessage("connection must not be null: null; pass an open StatefulRedisConnection<String, String>");
        assertThatThrownBy(() -> RedisSessionStore.using((StatefulRedisClusterConnection<String, String>) null))
                .hasMessage("connection must not be null: null; pass an open "
                        + "StatefulRedisClusterConnection<String, String>");
    }

    @Test
    void buildFailsWhenRedisIsNotThereAndHidesThePassword() {
        int port = RedisProcess.freePort(false);
        assertThatThrownBy(() -> RedisSessionStore.builder("redis://:hunter2@127.0.0.1:" + port).build())
                .isInstanceOf(SessionStoreException.class)
                .hasMessageStartingWith("cannot connect to redis://127.0.0.1:" + port + ": ")
                .hasMessageContainingAll("Connection refused")  // refused at once, not timed out
                .hasMessageEndingWith("; start Redis or fix the address given to RedisSessionStore.builder(...)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void addressesAreDescribedWithoutCredentials() {
        assertThat(RedisLink.describe(RedisURI.create("rediss://user:pw@Cache.Example:6380/3")))
                .isEqualTo("rediss://cache.example:6380/3");
        assertThat(RedisLink.describe(RedisURI.create("redis-sentinel://:pw@s1:26379,s2:26380#primary")))
                .isEqualTo("redis-sentinel://s1:26379,s2:26380#primary");
        assertThat(RedisLink.describe(RedisURI.create("redis-socket:///var/run/redis.sock")))
                .isEqualTo("redis-socket:///var/run/redis.sock");
    }
}
