package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.Sessions;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session contract on a three-node Redis Cluster that the test builds itself (CLUSTER ADDSLOTS and
 * MEET on cluster-enabled servers), so sessions hash to slots on different nodes.
 */
class RedisClusterTest extends RedisMergeContract {

    private final List<RedisProcess> nodes = new ArrayList<>();

    @Override
    RedisSessionStore.Builder startRedis() {
        nodes.addAll(RedisProcess.launchCluster(3));
        return RedisSessionStore.cluster(nodes.get(0).uri(), nodes.get(1).uri());
    }

    @Override
    List<String> nodeUris() {
        return nodes.stream().map(RedisProcess::uri).toList();
    }

    @Override
    void stopRedis() {
        nodes.forEach(RedisProcess::close);
    }

    @Test
    void sessionsAreSpreadOverEveryNode() {
        for (int i = 0; i < 30; i++) {
            browser().request(s -> s.put("n", 1));
        }
        assertThat(redis.keysPerNode()).hasSize(3).allSatisfy(count -> assertThat(count).isPositive());
        assertThat(redis.keys()).hasSize(30);
    }

    @Test
    void aUsersSessionsAndIndexShareOneSlotWhileUsersSpreadOverTheNodes() {
        for (int i = 0; i < 4; i++) {
            browser().request(s -> Sessions.login("alice"));
        }
        for (int user = 0; user < 30; user++) {
            String id = "user-" + user;
            browser().request(s -> Sessions.login(id));
        }
        String tag = "{" + SessionIds.userTag("alice") + "}";
        List<String> alices = redis.keys().stream().filter(k -> k.contains(tag)).toList();
        assertThat(alices).hasSize(6); // four sessions and the two index keys
        assertThat(alices.stream().map(SlotHash::getSlot).distinct()).hasSize(1);
        assertThat(redis.keysPerNode()).allSatisfy(count -> assertThat(count).isPositive());
        assertThat(store.revokeAll("alice")).isEqualTo(4);
        assertThat(redis.keys()).noneMatch(k -> k.contains(tag));
    }

    @Test
    void storeNamesTheSeedNodesWithoutPasswords() {
        assertThat(store.toString()).startsWith("RedisSessionStore[redis-cluster://127.0.0.1:" + nodes.get(0).port()
                + ",127.0.0.1:" + nodes.get(1).port() + ", ");
    }
}
