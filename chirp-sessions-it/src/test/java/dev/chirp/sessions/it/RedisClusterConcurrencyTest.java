package dev.chirp.sessions.it;

import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.redis.RedisProcess;
import dev.chirp.sessions.redis.RedisSessionStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The concurrency contract on the Redis store over a three-node Redis Cluster: every script keeps its
 * keys in one hash slot, so the merge and the user index stay atomic across nodes.
 */
class RedisClusterConcurrencyTest extends StoreConcurrencyContract {

    private final List<RedisProcess> nodes = new ArrayList<>();

    @BeforeAll
    void startCluster() {
        nodes.addAll(RedisProcess.launchCluster(3));
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(RedisProcess::close);
    }

    @Override
    protected SessionStore newStore() {
        return RedisSessionStore.cluster(nodes.get(0).uri(), nodes.get(1).uri()).build();
    }
}
