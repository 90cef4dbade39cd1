package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.redis.RedisSessionStore;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Boot's own Redis connection settings ({@code spring.data.redis.*}: url or host, port, username,
 * password, database, ssl.enabled, timeout, client-name, cluster.nodes, sentinel.master and
 * sentinel.nodes), read the way Boot reads them, so that a Boot application configures Redis once. Read
 * by key rather than through Boot's own properties class, whose package differs between Boot 3 and 4.
 */
final class BootRedisConnection {

    private static final String PREFIX = "spring.data.redis.";

    private final Binder binder;

    private BootRedisConnection(Binder binder) {
        this.binder = binder;
    }

    static BootRedisConnection from(Environment environment) {
        return new BootRedisConnection(Binder.get(environment));
    }

    /** Connects a store; a wrong address or a Redis that is down fails the start, naming the address. */
    RedisSessionStore store(ChirpSessionsProperties.Redis options) {
        RedisSessionStore.Builder builder;
        List<String> clusterNodes = list("cluster.nodes");
        if (!clusterNodes.isEmpty()) {
            List<RedisURI> seeds = new ArrayList<>();
            for (String node : clusterNodes) {
                seeds.add(withBootOptions(hostAndPort("spring.data.redis.cluster.nodes", node)));
            }
            builder = RedisSessionStore.cluster(seeds);
        } else if (string("sentinel.master") != null) {
            RedisURI.Builder uri = RedisURI.builder().withSentinelMasterId(string("sentinel.master"));
            String sentinelPassword = string("sentinel.password");
            for (String node : list("sentinel.nodes")) {
                RedisURI.Builder sentinel = hostAndPort("spring.data.redis.sentinel.nodes", node);
                if (sentinelPassword != null) {
                    sentinel.withPassword(sentinelPassword.toCharArray());
                }
                uri.withSentinel(sentinel.build());
            }
            builder = RedisSessionStore.builder(withBootOptions(uri));
        } else if (string("url") != null) {
            RedisURI uri;
            try {
                uri = RedisURI.create(string("url"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("spring.data.redis.url must be a Redis URL: (hidden, it may hold "
                        + "a password); use the form redis://user:password@host:6379/0, or rediss:// for TLS");
            }
            // As in Boot, the URL carries address, credentials and database; ssl.enabled may add TLS.
            builder = RedisSessionStore.builder(Boolean.TRUE.equals(bool("ssl.enabled"))
                    ? RedisURI.builder(uri).withSsl(true).build() : uri);
        } else {
            builder = RedisSessionStore.builder(withBootOptions(RedisURI.builder()
                    .withHost(string("host") == null ? "localhost" : string("host"))
                    .withPort(integer("port") == null ? 6379 : integer("port"))));
        }
        builder.keyPrefix(options.getKeyPrefix());
        builder.maxSessionsPerUser(options.getMaxSessionsPerUser());
        Duration timeout = options.getCommandTimeout() != null ? options.getCommandTimeout() : duration("timeout");
        if (timeout != null) {
            builder.commandTimeout(timeout);
        }
        return builder.build();
    }

    /**
     * Adds Boot's username, password, database, SSL and client name to an address. Only builder methods
     * that Lettuce 6 and 7 share, so the store runs on whichever Lettuce the application's Boot brings.
     */
    private RedisURI withBootOptions(RedisURI.Builder uri) {
        String password = string("password");
        String username = string("username");
        if (password != null && username != null) {
            uri.withAuthentication(username, password.toCharArray());
        } else if (password != null) {
            uri.withPassword(password.toCharArray());
        }
        Integer database = integer("database");
        if (database != null) {
            uri.withDatabase(database);
        }
        if (Boolean.TRUE.equals(bool("ssl.enabled"))) {
            uri.withSsl(true);
        }
        String clientName = string("client-name");
        if (clientName != null) {
            uri.withClientName(clientName);
        }
        return uri.build();
    }

    private static RedisURI.Builder hostAndPort(String property, String node) {
        int colon = node.lastIndexOf(':');
        try {
            return RedisURI.builder().withHost(node.substring(0, colon).trim())
                    .withPort(Integer.parseInt(node.substring(colon + 1).trim()));
        } catch (RuntimeException e) {
            throw new ConfigurationException(property + " must list host:port pairs: \"" + node
                    + "\"; write them as node-1:6379,node-2:6379");
        }
    }

    private String string(String key) {
        return binder.bind(PREFIX + key, String.class).orElse(null);
    }

    private Integer integer(String key) {
        return binder.bind(PREFIX + key, Integer.class).orElse(null);
    }

    private Boolean bool(String key) {
        return binder.bind(PREFIX + key, Boolean.class).orElse(null);
    }

    private Duration duration(String key) {
        return binder.bind(PREFIX + key, Duration.class).orElse(null);
    }

    private List<String> list(String key) {
        return binder.bind(PREFIX + key, Bindable.listOf(String.class)).orElse(List.of());
    }
}
