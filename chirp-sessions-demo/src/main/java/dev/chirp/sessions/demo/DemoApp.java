package dev.chirp.sessions.demo;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.redis.RedisSessionStore;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The demo's command line: {@code java -jar chirp-sessions-demo.jar [--port N] [--host H] [--redis URI | --jdbc URL]}. Starts
 * {@link DemoServer}, prints where it listens, and runs until stopped.
 */
@Command(name = "chirp-sessions-demo", mixinStandardHelpOptions = true,
        description = {"Run the chirp-sessions demo: a small shop with a cart, login/logout and a device "
                + "list, all kept in a signed session cookie (or in Redis with --redis).",
            "The secret comes from " + DemoApp.SECRET_ENV + "; without it a random one is used and sessions "
                + "end when the demo restarts."})
public final class DemoApp implements Callable<Integer> {

    static final String SECRET_ENV = "CHIRP_SESSION_SECRET";
    static final String PREFIX = "chirp-sessions demo: ";

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "TCP port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--redis", paramLabel = "URI",
            description = "Keep sessions in Redis instead of the cookie, e.g. redis://127.0.0.1:6379. Instances "
                + "that share the secret and the Redis server share sessions.")
    String redis;

    @Option(names = "--jdbc", paramLabel = "URL",
            description = "Keep sessions in PostgreSQL instead of the cookie, e.g. "
                + "'jdbc:postgresql://127.0.0.1:5432/app?user=U&password=P'. The table chirp_session is created "
                + "if missing. Instances that share the secret and the database share sessions.")
    String jdbc;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;
    private final PrintWriter out;
    private final PrintWriter err;
    private DemoServer started;

    DemoApp(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** Starts the demo and blocks until it stops; exits non-zero if it cannot start. */
    public static void main(String[] args) throws InterruptedException {
        DemoLogging.install();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        DemoApp app = new DemoApp(System.getenv(), out, err);
        int exitCode = commandLine(app).execute(args);
        if (exitCode != 0 || app.started == null) {
            System.exit(exitCode);
        }
        app.started.join();
    }

    /** The picocli command line for {@code app}, with one-line errors instead of stack traces. */
    static CommandLine commandLine(DemoApp app) {
        CommandLine commandLine = new CommandLine(app);
        commandLine.setOut(app.out);
        commandLine.setErr(app.err);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(PREFIX + "cannot start: " + e.getMessage()
                    + (e instanceof java.io.IOException ? "; is the port in use? try --port 0" : ""));
            return 1;
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(PREFIX + e.getMessage());
            e.getCommandLine().getErr().println("Try 'chirp-sessions-demo --help'.");
            return 2;
        });
        return commandLine;
    }

    /** Starts the server (it runs on Jetty's threads) and prints its address; {@link #server()} returns it. */
    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535: " + port
                    + "; use 0 for any free port");
        }
        checkHost();
        started = DemoServer.start(sessionConfig(this, environment, err), host, port);
        out.println("chirp-sessions demo listening on " + started.uri() + " (sessions in " + storeInUse(this) + ")");
        out.flush();
        return 0;
    }

    /**
     * Refuses a host the demo cannot listen on before anything starts: Jetty would report it as an
     * I/O error, which reads like a port that is taken.
     */
    private void checkHost() {
        if (host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            for (String octet : host.split("\\.")) {
                if (octet.length() > 3 || Integer.parseInt(octet) > 255) {
                    throw new ParameterException(spec.commandLine(), "--host must be an IPv4 address with numbers "
                            + "from 0 to 255, or a host name: " + host + "; use 127.0.0.1 (this machine only) or "
                            + "0.0.0.0 (every interface)");
                }
            }
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--host must be an IP address or a name that "
                    + "resolves: " + host + "; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        }
        boolean local;
        try {
            local = address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = true; // cannot tell: let Jetty try, and report what it says
        }
        if (!local) {
            throw new ParameterException(spec.commandLine(), "--host must be an address of this machine: " + host
                    + "; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        }
    }

    /** The server {@link #call()} started, or {@code null}. */
    DemoServer server() {
        return started;
    }

    /**
     * Where sessions are kept, for the startup line: "the signed cookie", or the store and its address
     * (never a password). Kept beside {@link #sessionConfig}, which makes the same choice.
     */
    static String storeInUse(DemoApp options) {
        if (options.redis != null) {
            // redis://user:password@host:port: the startup line is often pasted into tickets.
            return "Redis at " + options.redis.replaceFirst("//[^@/]*@", "//");
        }
        if (options.jdbc != null) {
            // The user and password ride in the query string (or before an @): show neither.
            return "PostgreSQL at " + options.jdbc.replaceFirst("\\?.*", "").replaceFirst("//[^@/]*@", "//");
        }
        return "the signed cookie";
    }

    /**
     * Builds the session configuration from the parsed options and the environment: the one place that
     * decides how sessions are kept, so a new option (a Redis store, say) plugs in here, and in
     * {@link #storeInUse} for the startup line.
     */
    static SessionConfig sessionConfig(DemoApp options, Map<String, String> environment, PrintWriter err) {
        String secret = environment.get(SECRET_ENV);
        if (secret == null || secret.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            err.println(PREFIX + "warning: " + SECRET_ENV + " is not set, so a random secret is used and every "
                    + "session ends when the demo restarts; set it (e.g. from 'chirp-session keygen') to keep them");
            err.flush();
        }
        SessionConfig.Builder config = SessionConfig.builder(secret);
        if (options.redis != null && options.jdbc != null) {
            throw new IllegalStateException("--redis and --jdbc must not both be given; keep sessions in one store");
        }
        if (options.jdbc != null) {
            config.store(DemoJdbc.store(options.jdbc));
        } else if (options.redis != null) {
            // Connects now: a wrong address stops the demo at startup, in terms of the option the user
            // typed (the store's own messages name its Java API).
            RedisSessionStore store;
            try {
                store = RedisSessionStore.builder(options.redis).build();
            } catch (ConfigurationException e) {
                // "uri must be a Redis URI (...): <the value, password masked>; write it as ..."
                String message = e.getMessage();
                throw new IllegalStateException("--redis" + (message.startsWith("uri ") ? message.substring(3)
                        : " must be a Redis URI: " + message));
            } catch (SessionStoreException e) {
                String reason = e.getMessage();
                int fix = reason.lastIndexOf("; start Redis");
                throw new IllegalStateException("--redis " + (fix > 0 ? reason.substring(0, fix) : reason)
                        + "; start Redis there, or fix the --redis option");
            }
            config.store(store);
        } else {
            // Cookies cannot be deleted on the server: "log out everywhere" bumps the user's version instead.
            config.sessionVersions(new UserVersions());
        }
        return config.build();
    }
}
