package dev.chirp.sessions.springboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.redis.RedisSessionStore;
import dev.chirp.sessions.starterapp.TestRedis;
import org.junit.jupiter.api.Test;

/** The Redis store's health check against a real Redis: up, and down once the store cannot reach it. */
class RedisStoreHealthTest {

    @Test
    void upWhileRedisAnswersDownWithTheAddressOnceItCannot() throws Exception {
        try (TestRedis redis = new TestRedis();
                RedisSessionStore store = RedisSessionStore.builder("redis://:" + TestRedis.PASSWORD + "@127.0.0.1:"
                        + redis.port()).keyPrefix("health:").build()) {
            RedisStoreHealth health = new RedisStoreHealth(store);

            RedisStoreHealth.Result up = health.check();
            assertThat(up.up()).isTrue();
            assertThat(up.details()).containsEntry("store", store.toString());
            assertThat(redis.keys("health:")).isEmpty(); // the probe reads, never writes

            store.close();
            RedisStoreHealth.Result down = health.check();
            assertThat(down.up()).isFalse();
            assertThat(down.details().toString()).contains("127.0.0.1:" + redis.port())
                    .doesNotContain(TestRedis.PASSWORD);
        }
    }
}
