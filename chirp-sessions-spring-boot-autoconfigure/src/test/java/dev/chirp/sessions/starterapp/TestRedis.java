package dev.chirp.sessions.starterapp;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import redis.embedded.RedisServer;

/**
 * A real redis-server process on a free loopback port, from the binary that the embedded-redis jar
 * ships (so Maven alone is enough), with a password, no persistence, and a client to inspect it.
 */
public final class TestRedis implements AutoCloseable {

    public static final String PASSWORD = "test-redis-password-7f3a";

    private final int port;
    private final RedisServer server;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public TestRedis() {
        try {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("requirepass " + PASSWORD).setting("save \"\"").setting("appendonly no")
                    .soutListener(line -> { }).serrListener(line -> { }).build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withPassword(PASSWORD.toCharArray()).build());
        connection = client.connect();
    }

    public int port() {
        return port;
    }

    /** The session keys Redis holds now. */
    public List<String> keys(String prefix) {
        return connection.sync().keys(prefix + "*");
    }

    @Override
    public void close() throws IOException {
        connection.close();
        client.shutdown();
        server.stop();
    }
}
