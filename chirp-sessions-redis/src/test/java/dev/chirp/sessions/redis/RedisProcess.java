package dev.chirp.sessions.redis;

import dev.chirp.sessions.testkit.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * A real redis-server process for tests, from the binary that embedded-redis ships in its jar, on a free
 * loopback port. Unlike embedded-redis's own wrapper it can be killed with SIGKILL, paused with SIGSTOP
 * and restarted on the same port, which the outage and fault tests need. Public for the Redis tests over
 * HTTP in chirp-sessions-it (this module's test-jar).
 */
public final class RedisProcess implements AutoCloseable {

    private static final int SLOTS = 16384;

    private static File binary;

    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    private Process process;

    private RedisProcess(int port, List<String> extraArgs) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.dir = Files.createTempDirectory("chirp-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server without persistence on a free port; {@code extraArgs} such as "--requirepass", "x". */
    public static RedisProcess launch(String... extraArgs) {
        RedisProcess redis = new RedisProcess(freePort(false), List.of(extraArgs));
        redis.start();
        return redis;
    }

    /**
     * Starts {@code size} cluster-enabled nodes and forms a cluster of them (CLUSTER ADDSLOTS, an equal
     * share each, and MEET), so keys hash to slots on different nodes; returns once every node reports
     * the cluster ok.
     */
    public static List<RedisProcess> launchCluster(int size) {
        List<RedisProcess> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(launchClusterNode());
        }
        List<RedisClient> clients = new ArrayList<>();
        try {
            List<RedisCommands<String, String>> commands = new ArrayList<>();
            for (RedisProcess node : nodes) {
                RedisClient client = RedisClient.create(node.uri());
                clients.add(client);
                StatefulRedisConnection<String, String> connection = client.connect();
                commands.add(connection.sync());
            }
            int per = SLOTS / size;
            for (int i = 0; i < size; i++) {
                int from = i * per;
                int to = i == size - 1 ? SLOTS : from + per;
                commands.get(i).clusterAddSlots(IntStream.range(from, to).toArray());
            }
            for (int i = 1; i < size; i++) {
                commands.get(0).clusterMeet("127.0.0.1", nodes.get(i).port());
            }
            Await.until(Duration.ofSeconds(20), () -> "cluster formed: " + commands.get(0).clusterInfo(),
                    () -> commands.stream().allMatch(node -> ready(node, size)));
        } finally {
            clients.forEach(RedisClient::shutdown);
        }
        return nodes;
    }

    private static boolean ready(RedisCommands<String, String> node, int size) {
        String info = node.clusterInfo();
        return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + size)
                && info.contains("cluster_slots_assigned:" + SLOTS);
    }

    /** Starts a cluster-enabled node, whose bus port (port + 10000) is free too. */
    static RedisProcess launchClusterNode() {
        RedisProcess redis = new RedisProcess(freePort(true), List.of("--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
        redis.start();
        return redis;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary().getAbsolutePath(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString()));
        command.addAll(extraArgs);
        try {
            Files.deleteIfExists(dir.resolve("nodes.conf")); // a restarted cluster node would keep stale state
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitReady();
    }

    /** SIGKILL: the server vanishes at once, as in a crash; its data is gone (no persistence). */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP: the server keeps its connections open but stops answering. */
    synchronized void pause() {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    synchronized void resume() {
        signal("-CONT");
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            signal("-CONT"); // a paused server must run again to die
        }
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private void signal(String signal) {
        try {
            new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        Await.until(Duration.ofSeconds(10), () -> "redis-server on port " + port + " started: " + log(),
                this::answersPing);
    }

    private boolean answersPing() {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " exited: " + log());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int first = socket.getInputStream().read();
            return first == '+' || first == '-'; // PONG, or NOAUTH when a password is required
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static synchronized File binary() {
        if (binary == null) {
            try {
                binary = ExecutableProvider.newJarResourceProvider().get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return binary;
    }

    /** A free loopback port; for a cluster node, also port + 10000 (its bus port on Redis 6). */
    static int freePort(boolean withBusPort) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!withBusPort) {
                return port;
            }
            if (port + 10000 <= 65535) {
                try (ServerSocket bus = new ServerSocket(port + 10000)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no free port pair found");
    }
}
