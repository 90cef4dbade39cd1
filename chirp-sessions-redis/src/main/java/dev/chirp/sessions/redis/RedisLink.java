package dev.chirp.sessions.redis;

import dev.chirp.sessions.SessionStoreException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisHashAsyncCommands;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The one shared Lettuce connection a store talks through, what to call its server in messages (never
 * with credentials), and what closing the store must release: everything the store created, nothing
 * the caller passed in.
 */
final class RedisLink {

    /** Opens a link with the given command timeout; throws {@link SessionStoreException} if it cannot. */
    @FunctionalInterface
    interface Opener {
        RedisLink open(Duration commandTimeout);
    }

    // Reconnect soon after Redis returns (the default backs off to 30 s, so a store could stay failed
    // long after Redis is back), but not in a tight loop while it is away.
    private static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(1);
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    final String address;
    /** Whether keys in different hash slots may live on different nodes (one script cannot touch both). */
    final boolean cluster;
    final RedisStringAsyncCommands<String, String> strings;
    final RedisKeyAsyncCommands<String, String> keys;
    final RedisHashAsyncCommands<String, String> hashes;
    final RedisScriptingAsyncCommands<String, String> scripts;
    private final BaseRedisAsyncCommands<String, String> server;
    private final AutoCloseable release;

    private RedisLink(String address, boolean cluster, RedisStringAsyncCommands<String, String> strings,
            RedisKeyAsyncCommands<String, String> keys, RedisHashAsyncCommands<String, String> hashes,
            RedisScriptingAsyncCommands<String, String> scripts, BaseRedisAsyncCommands<String, String> server,
            AutoCloseable release) {
        this.address = address;
        this.cluster = cluster;
        this.strings = strings;
        this.keys = keys;
        this.hashes = hashes;
        this.scripts = scripts;
        this.server = server;
        this.release = release;
    }

    /** Sends {@code PING}: the circuit breaker's probe, the cheapest command Redis answers. */
    RedisFuture<String> sendPing() {
        return server.ping();
    }

    /** Releases what the store created; never throws. */
    void close() {
        try {
            release.close();
        } catch (Exception e) {
            OutageLog.LOG.log(System.Logger.Level.DEBUG, "chirp-sessions: closing the Redis connection to "
                    + address + " failed: " + e);
        }
    }

    // --- openers, one per way of building a store ---

    static Opener standalone(RedisURI uri) {
        String address = describe(uri);
        return timeout -> {
            ClientResources resources = resources();
            RedisClient client = RedisClient.create(resources, uri);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .socketOptions(socketOptions(timeout))
                    .build());
            try {
                StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
                return of(address, connection, releaseAll(connection, client, resources));
            } catch (RedisException e) {
                shutDown(client, resources);
                throw cannotConnect(address, e, "RedisSessionStore.builder(...)");
            }
        };
    }

    static Opener cluster(List<RedisURI> seeds) {
        String address = "redis-cluster://" + seeds.stream().map(RedisLink::hostAndPort)
                .collect(Collectors.joining(","));
        return timeout -> {
            ClientResources resources = resources();
            RedisClusterClient client = RedisClusterClient.create(resources, seeds);
            client.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .socketOptions(socketOptions(timeout))
                    // Follow failovers and resharding: Lettuce 7 refreshes the slot map on redirects and
                    // reconnects by default; a periodic refresh also catches a change that slipped past both.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofMinutes(1))
                            .build())
                    .build());
            try {
                StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8);
                connectEveryNode(connection, timeout);
                return of(address, connection, releaseAll(connection, client, resources));
            } catch (RedisException e) {
                shutDown(client, resources);
                throw cannotConnect(address, e, "RedisSessionStore.cluster(...)");
            }
        };
    }

    static Opener client(RedisClient client, RedisURI uri) {
        String address = describe(uri);
        return timeout -> {
            try {
                StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri);
                return of(address, connection, connection::close);
            } catch (RedisException e) {
                throw cannotConnect(address, e, "RedisSessionStore.using(client, uri)");
            }
        };
    }

    static Opener clusterClient(RedisClusterClient client) {
        return timeout -> {
            StatefulRedisClusterConnection<String, String> connection;
            try {
                connection = client.connect(StringCodec.UTF8);
            } catch (RedisException e) {
                throw cannotConnect("Redis Cluster (the client given to RedisSessionStore.using)", e,
                        "RedisSessionStore.using(clusterClient)");
            }
            connectEveryNode(connection, timeout);
            String address = "redis-cluster://" + client.getPartitions().stream()
                    .map(RedisClusterNode::getUri).map(RedisLink::hostAndPort)
                    .sorted().collect(Collectors.joining(","));
            return of(address, connection, connection::close);
        };
    }

    static Opener connection(StatefulRedisConnection<String, String> connection) {
        return timeout -> of("Redis (the connection given to RedisSessionStore.using)", connection, () -> {
        });
    }

    static Opener clusterConnection(StatefulRedisClusterConnection<String, String> connection) {
        return timeout -> {
            connectEveryNode(connection, timeout);
            return of("Redis Cluster (the connection given to RedisSessionStore.using)", connection, () -> {
            });
        };
    }

    /** Releases, in order, what a store opened itself: its connection, its client, its threads. */
    private static AutoCloseable releaseAll(AutoCloseable connection, AbstractRedisClient client,
            ClientResources resources) {
        return () -> {
            connection.close();
            client.shutdown();
            ((Future<?>) resources.shutdown(0, 2, TimeUnit.SECONDS)).get(3, TimeUnit.SECONDS);
        };
    }

    private static void shutDown(AbstractRedisClient client, ClientResources resources) {
        client.shutdown();
        resources.shutdown();
    }

    /**
     * Opens the connection to every known node now. Lettuce opens node connections lazily, and while one
     * is being opened a command for it is rejected as "not connected" (we reject commands while
     * disconnected, to fail fast in an outage), which would fail the first request for each node. A node
     * that joins later (failover, resharding) still costs one failed request before its connection is up.
     */
    private static void connectEveryNode(StatefulRedisClusterConnection<String, String> connection, Duration wait) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (RedisClusterNode node : connection.getPartitions()) {
            RedisURI uri = node.getUri();
            // Host and port, not node id: that is the key Lettuce routes slot commands through.
            pending.add(connection.getConnectionAsync(uri.getHost(), uri.getPort()));
        }
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A node that is down now is connected to lazily later; its sessions fail until then.
        }
    }

    private static RedisLink of(String address, StatefulRedisConnection<String, String> connection,
            AutoCloseable release) {
        var async = connection.async();
        return new RedisLink(address, false, async, async, async, async, async, release);
    }

    private static RedisLink of(String address, StatefulRedisClusterConnection<String, String> connection,
            AutoCloseable release) {
        var async = connection.async();
        return new RedisLink(address, true, async, async, async, async, async, release);
    }

    private static ClientResources resources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(RECONNECT_MIN, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
    }

    private static SocketOptions socketOptions(Duration commandTimeout) {
        // Reconnects run in the background while requests fail fast, so they may take longer than a
        // command; a short connect timeout would keep a store on a slow network from ever reconnecting.
        Duration connect = commandTimeout.compareTo(MIN_CONNECT_TIMEOUT) > 0 ? commandTimeout : MIN_CONNECT_TIMEOUT;
        return SocketOptions.builder().connectTimeout(connect).keepAlive(true).build();
    }

    private static SessionStoreException cannotConnect(String address, RedisException e, String call) {
        return new SessionStoreException("cannot connect to " + address + ": " + RedisFailure.summary(e)
                + "; start Redis or fix the address given to " + call, e);
    }

    /** A Redis URI as {@code scheme://host:port[/db]}: user name and password left out on purpose. */
    static String describe(RedisURI uri) {
        if (uri.getSocket() != null) {
            return "redis-socket://" + uri.getSocket();
        }
        String database = uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase();
        if (!uri.getSentinels().isEmpty()) {
            return (uri.isSsl() ? "rediss-sentinel://" : "redis-sentinel://")
                    + uri.getSentinels().stream().map(RedisLink::hostAndPort).collect(Collectors.joining(","))
                    + database + "#" + uri.getSentinelMasterId();
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + hostAndPort(uri) + database;
    }

    private static String hostAndPort(RedisURI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host.toLowerCase(Locale.ROOT)) + ":" + uri.getPort();
    }
}
