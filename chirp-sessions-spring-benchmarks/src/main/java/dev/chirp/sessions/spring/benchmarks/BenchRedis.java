package dev.chirp.sessions.spring.benchmarks;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.embedded.core.ExecutableProvider;

/**
 * A redis-server process on a free loopback port, without persistence, that the three app forms share, and
 * the client that reads its {@code INFO commandstats}.
 *
 * <p>It runs the machine's {@code redis-server} when there is one (Debian's), else the binary that the
 * embedded-redis jar ships, so the benchmark needs nothing but a JDK and Maven.
 */
public final class BenchRedis implements AutoCloseable {

    private static final Pattern COMMAND_STAT = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+),", Pattern.MULTILINE);
    private static final Pattern MONITOR_LINE = Pattern.compile("^\\+[0-9.]+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("^redis_version:(\\S+)", Pattern.MULTILINE);

    private final Process process;
    private final int port;
    private final String binary;
    private final Path dir;

    private BenchRedis(Process process, int port, String binary, Path dir) {
        this.process = process;
        this.port = port;
        this.binary = binary;
        this.dir = dir;
    }

    /**
     * Starts a server and waits until it answers.
     *
     * @param binary the redis-server to run, or {@code null} for the machine's or else embedded-redis's
     */
    public static BenchRedis start(String binary) throws IOException, InterruptedException {
        String executable = binary != null ? binary : defaultBinary();
        int port = freePort();
        Path dir = Files.createTempDirectory("chirp-bench-redis-");
        Process process = new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        BenchRedis redis = new BenchRedis(process, port, executable, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(executable + " exited at start: " + redis.log());
            }
            try {
                redis.command("PING");
                return redis;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    redis.close();
                    throw new IllegalStateException(executable + " did not answer within 20 s: " + redis.log());
                }
                Thread.sleep(50);
            }
        }
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** The binary that runs, for the report. */
    public String binary() {
        return binary;
    }

    /** The server's {@code redis_version}. */
    public String version() throws IOException {
        Matcher matcher = VERSION.matcher(command("INFO", "server"));
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    /** Calls per command name (lower case, e.g. {@code get}) since the server started. */
    public Map<String, Long> commandStats() throws IOException {
        return parseCommandStats(command("INFO", "commandstats"));
    }

    /**
     * The commands Redis executes for what {@code action} sent before it returned, in order, as
     * {@code MONITOR} reports them: each marked whether the client sent it or a Lua script ran it. The end
     * is a marker, not a pause: after the action an {@code ECHO} of a unique marker goes to Redis, which runs
     * commands one at a time in order, so once MONITOR shows the marker it has shown everything before it.
     * MONITOR slows Redis down, so this traces single requests, never a measured run.
     *
     * @param timeout how long to wait for the marker to come through MONITOR
     * @throws IOException if it does not within {@code timeout}
     */
    public List<TracedCommand> trace(Callable<?> action, Duration timeout) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.getOutputStream().write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String ok = readLine(in);
            if (!ok.equals("+OK")) {
                throw new IOException("redis answered MONITOR with " + ok);
            }
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        lines.add(readLine(in));
                    }
                } catch (IOException closed) {
                    // the socket closed: the trace is over
                }
            }, "redis-monitor");
            reader.setDaemon(true);
            reader.start();
            action.call();
            String marker = "chirp-trace-end-" + UUID.randomUUID();
            command("ECHO", marker);
            long deadline = System.nanoTime() + timeout.toNanos();
            int end;
            while ((end = indexOfMarker(lines, marker)) < 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("MONITOR did not show the end marker within " + timeout);
                }
                Thread.sleep(5);
            }
            return parseMonitor(lines.subList(0, end));
        }
    }

    private static int indexOfMarker(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    /** A command in a {@link #trace}: its name in upper case, and whether a Lua script ran it. */
    public record TracedCommand(String name, boolean script) {
    }

    static List<TracedCommand> parseMonitor(List<String> lines) {
        List<TracedCommand> commands = new ArrayList<>();
        for (String line : lines) {
            Matcher matcher = MONITOR_LINE.matcher(line);
            if (matcher.find()) {
                String name = matcher.group(2).toUpperCase(java.util.Locale.ROOT);
                if (!name.equals("INFO")) {
                    commands.add(new TracedCommand(name, matcher.group(1).equals("lua")));
                }
            }
        }
        return commands;
    }

    /** Parses the body of {@code INFO commandstats}. */
    static Map<String, Long> parseCommandStats(String info) {
        Map<String, Long> calls = new TreeMap<>();
        Matcher matcher = COMMAND_STAT.matcher(info);
        while (matcher.find()) {
            calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return calls;
    }

    /**
     * Sends one command on a fresh connection and returns its reply as text (a bulk string, a simple
     * string or an integer; {@code null} for a missing key), so reading the statistics never shares a connection with the application.
     */
    String command(String... words) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(word).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String line = readLine(in);
            switch (line.charAt(0)) {
                case '+', ':' -> {
                    return line.substring(1);
                }
                case '$' -> {
                    int length = Integer.parseInt(line.substring(1));
                    if (length < 0) {
                        return null; // a missing key
                    }
                    byte[] body = in.readNBytes(length);
                    return new String(body, StandardCharsets.UTF_8);
                }
                default -> throw new IOException("redis answered " + line);
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read(); // the '\n'
                return line.toString();
            }
            line.append((char) c);
        }
        throw new IOException("redis closed the connection");
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        File[] files = dir.toFile().listFiles();
        if (files != null) {
            for (File file : files) {
                file.delete();
            }
        }
        dir.toFile().delete();
    }

    private static String defaultBinary() throws IOException {
        List<String> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                candidates.add(entry + File.separator + "redis-server");
            }
        }
        candidates.add("/usr/bin/redis-server");
        for (String candidate : candidates) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        try {
            return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("no redis-server on the PATH and none from embedded-redis", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
