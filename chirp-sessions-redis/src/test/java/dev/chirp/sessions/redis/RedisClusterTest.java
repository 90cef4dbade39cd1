package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.testkit.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The session contract on a three-node Redis Cluster that the test builds itself (CLUSTER ADDSLOTS and
 * MEET on cluster-enabled servers), so sessions hash to slots on different nodes.
 */
class RedisClusterTest extends RedisMergeContract {

    private static final int SLOTS = 16384;

    private final List<RedisProcess> nodes = new ArrayList<>();

    @Override
    RedisSessionStore.Builder startRedis() {
        for (int i = 0; i < 3; i++) {
            nodes.add(RedisProcess.launchClusterNode());
        }
        formCluster();
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
        String tag = "{" + RedisKeys.tagOf("alice") + "}";
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

    void formCluster() {
        List<RedisClient> clients = new ArrayList<>();
        try {
            List<RedisCommands<String, String>> commands = new ArrayList<>();
            for (RedisProcess node : nodes) {
                RedisClient client = RedisClient.create(node.uri());
                clients.add(client);
                StatefulRedisConnection<String, String> connection = client.connect();
                commands.add(connection.sync());
            }
            int per = SLOTS / nodes.size();
            for (int i = 0; i < nodes.size(); i++) {
                int from = i * per;
                int to = i == nodes.size() - 1 ? SLOTS : from + per;
                commands.get(i).clusterAddSlots(IntStream.range(from, to).toArray());
            }
            for (int i = 1; i < nodes.size(); i++) {
                commands.get(0).clusterMeet("127.0.0.1", nodes.get(i).port());
            }
            Await.until(Duration.ofSeconds(20), () -> "cluster formed: " + commands.get(0).clusterInfo(),
                    () -> commands.stream().allMatch(RedisClusterTest::ready));
        } finally {
            clients.forEach(RedisClient::shutdown);
        }
    }

    private static boolean ready(RedisCommands<String, String> node) {
        String info = node.clusterInfo();
        return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3")
                && info.contains("cluster_slots_assigned:" + SLOTS);
    }
}
