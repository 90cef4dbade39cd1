package dev.chirp.sessions.it;

import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.redis.RedisProcess;
import dev.chirp.sessions.redis.RedisSessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The concurrency contract on the Redis store over standalone Redis: per-key merge, no resurrection. */
class RedisConcurrencyTest extends StoreConcurrencyContract {

    private RedisProcess redis;

    @BeforeAll
    void startRedis() {
        redis = RedisProcess.launch();
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @Override
    protected SessionStore newStore() {
        return RedisSessionStore.builder(redis.uri()).build();
    }
}
