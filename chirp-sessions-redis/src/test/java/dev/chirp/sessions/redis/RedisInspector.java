package dev.chirp.sessions.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks into the Redis servers behind a store from the side, through its own plain connections to every
 * node (standalone: one), so tests can count keys and commands without trusting the store.
 */
final class RedisInspector implements AutoCloseable {

    private static final Pattern CALLS = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)");

    private final List<RedisClient> clients = new ArrayList<>();
    private final List<RedisCommands<String, String>> nodes = new ArrayList<>();

    RedisInspector(List<String> nodeUris) {
        for (String uri : nodeUris) {
            RedisClient client = RedisClient.create(uri);
            StatefulRedisConnection<String, String> connection = client.connect();
            clients.add(client);
            nodes.add(connection.sync());
        }
    }

    /** Deletes every key and resets the command counters on every node. */
    void reset() {
        for (RedisCommands<String, String> node : nodes) {
            node.flushall();
        }
        resetStats();
    }

    /** Resets the command counters on every node. */
    void resetStats() {
        for (RedisCommands<String, String> node : nodes) {
            node.configResetstat();
        }
    }

    /** Every key on every node. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (RedisCommands<String, String> node : nodes) {
            keys.addAll(keys(node, "*"));
        }
        return keys;
    }

    /**
     * The keys matching {@code pattern}, by SCAN: Lettuce 7 changed {@code keys}' parameter from the key type
     * to {@code String}, so no one call compiles against 7 and runs on 6 (what Spring Boot 3.5 and 4.0
     * manage), and the tests must run on both.
     */
    private static List<String> keys(RedisCommands<String, String> node, String pattern) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = node.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    /** Keys per node, in node order. */
    List<Long> keysPerNode() {
        List<Long> counts = new ArrayList<>();
        for (RedisCommands<String, String> node : nodes) {
            counts.add(node.dbsize());
        }
        return counts;
    }

    /** The raw value of {@code key}, from whichever node holds it. */
    String get(String key) {
        RedisCommands<String, String> node = owner(key);
        return node == null ? null : node.get(key);
    }

    /** The fields and values of the hash {@code key}, from whichever node holds it; empty if none. */
    Map<String, String> hash(String key) {
        RedisCommands<String, String> node = owner(key);
        return node == null ? Map.of() : node.hgetall(key);
    }

    /** The members of the sorted set {@code key}, lowest score first; empty if there is no such key. */
    List<String> sortedSet(String key) {
        RedisCommands<String, String> node = owner(key);
        return node == null ? List.of() : node.zrange(key, 0, -1);
    }

    /** The node that serves {@code key}'s slot (a cluster node answers MOVED for the others). */
    RedisCommands<String, String> nodeOf(String key) {
        for (RedisCommands<String, String> node : nodes) {
            try {
                node.exists(key);
                return node;
            } catch (RedisCommandExecutionException moved) {
                // another node's slot
            }
        }
        throw new IllegalStateException("no node serves " + key);
    }

    /** Writes a raw value under {@code key} on the node that owns it (standalone only). */
    void set(String key, String value) {
        nodes.get(0).set(key, value);
    }

    /** Deletes {@code key} from whichever node holds it, as its expiry would. */
    void delete(String key) {
        RedisCommands<String, String> node = owner(key);
        if (node != null) {
            node.del(key);
        }
    }

    /** The fields of the hash {@code key}, from whichever node holds it; empty if there is no such key. */
    List<String> hashFields(String key) {
        RedisCommands<String, String> node = owner(key);
        return node == null ? List.of() : node.hkeys(key);
    }

    /** The key's remaining time to live in milliseconds, or a negative number as PTTL says. */
    long pttl(String key) {
        RedisCommands<String, String> node = owner(key);
        return node == null ? -2 : node.pttl(key);
    }

    // KEYS answers on every cluster node (single-key commands would get MOVED from the wrong ones).
    private RedisCommands<String, String> owner(String key) {
        for (RedisCommands<String, String> node : nodes) {
            if (keys(node, key).contains(key)) {
                return node;
            }
        }
        return null;
    }

    /** Calls per command name (lower case) since the last {@link #reset()}, summed over the nodes. */
    Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (RedisCommands<String, String> node : nodes) {
            Matcher m = CALLS.matcher(node.info("commandstats"));
            while (m.find()) {
                calls.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
            }
        }
        return calls;
    }

    /** Calls of {@code command} since the last reset. */
    long calls(String command) {
        return commandCalls().getOrDefault(command, 0L);
    }

    /** Connected clients on the first node, this inspector included. */
    long clientCount() {
        return nodes.get(0).clientList().lines().filter(line -> !line.isBlank()).count();
    }

    @Override
    public void close() {
        for (RedisClient client : clients) {
            client.shutdown();
        }
    }
}
