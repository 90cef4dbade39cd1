package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionFormat;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.httpserver.SessionHttpFilter;
import dev.chirp.sessions.json.FlaskTuple;
import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.signing.FlaskSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Flask app (Debian's python3-flask, scripts/flask-session-app.py) and a JDK server with the
 * Flask format share one session cookie over real HTTP on loopback: values of every Flask tag type and
 * flashes set on one side are read on the other. Skipped, with a message, when Flask is not installed.
 */
class FlaskInteropTest {

    private static final String SECRET = "flask-interop-test-secret-0123456789abcdef";

    private final HttpClient client = HttpClient.newHttpClient();
    private Process flask;
    private int flaskPort;
    private HttpServer java;
    private volatile Consumer<Session> handler = s -> { };
    private volatile String shown;

    @BeforeEach
    void start() throws Exception {
        Path python = Paths.get("/usr/bin/python3");
        boolean hasFlask = Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import flask").start().waitFor() == 0;
        assumeTrue(hasFlask, "skipped: no /usr/bin/python3 with Flask (Debian: apt-get install python3-flask; "
                + ".ci/run installs it)");
        flask = new ProcessBuilder(python.toString(), root().resolve("scripts/flask-session-app.py").toString(), SECRET)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new BufferedReader(new InputStreamReader(flask.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the Flask app's first line").startsWith("port ");
        flaskPort = Integer.parseInt(line.substring(5).trim());

        java = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder(SECRET)
                .format(SessionFormat.FLASK).build());
        java.createContext("/", exchange -> {
            handler.accept(Sessions.get());
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }).getFilters().add(new SessionHttpFilter(middleware));
        java.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (java != null) {
            java.stop(0);
        }
        if (flask != null) {
            flask.getOutputStream().close(); // the app stops at EOF on stdin
            if (!flask.waitFor(10, TimeUnit.SECONDS)) {
                flask.destroyForcibly();
            }
        }
    }

    @Test
    void javaReadsEveryFlaskTagAndFlaskFlashes() throws Exception {
        String cookie = sessionCookie(get("http://127.0.0.1:" + flaskPort + "/set", null));
        Map<String, Object> seen = new LinkedHashMap<>();
        handler = s -> {
            seen.putAll(s);
            seen.put("flashed", Sessions.flashes());
        };
        get("http://127.0.0.1:" + java.getAddress().getPort() + "/", cookie);

        assertThat(seen.get("tuple")).isInstanceOf(FlaskTuple.class).isEqualTo(FlaskTuple.of(1, "a", FlaskTuple.of(2.5, null)));
        assertThat(((List<?>) seen.get("tuple")).get(2)).isInstanceOf(FlaskTuple.class);
        assertThat((byte[]) seen.get("bytes")).isEqualTo("\0\u00ff binary".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(seen.get("uuid")).isEqualTo(UUID.fromString("12345678-1234-5678-1234-567812345678"));
        assertThat(seen.get("when")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(seen.get("markup")).isEqualTo("<b>bold</b>");
        assertThat(seen.get("escaped")).isEqualTo(Map.of(" t", List.of(1, 2)));
        assertThat(seen.get("text")).isEqualTo("Zoë 🍪");
        assertThat(seen.get("flashed").toString()).contains("Saved in Flask").contains("Careful").contains("warning");
    }

    @Test
    void flaskReadsJavaValuesAndShowsJavaFlashes() throws Exception {
        handler = s -> {
            s.put("tuple", FlaskTuple.of("widget", 2));
            s.put("bytes", new byte[] {0, 1, (byte) 0xfe});
            s.put("uuid", UUID.fromString("12345678-1234-5678-1234-567812345678"));
            s.put("when", Instant.parse("2026-01-02T03:04:05Z"));
            s.put("escaped", Map.of(" b", "not bytes"));
            Sessions.flash("Saved in Java");
            Sessions.flash("error", "Java error");
        };
        String cookie = sessionCookie(get("http://127.0.0.1:" + java.getAddress().getPort() + "/", null));
        String body = get("http://127.0.0.1:" + flaskPort + "/show", cookie).body();

        @SuppressWarnings("unchecked")
        Map<String, Object> shownByFlask = (Map<String, Object>) SessionJson.read(body);
        assertThat(shownByFlask.get("flashes")).isEqualTo(List.of(List.of("message", "Saved in Java"),
                List.of("error", "Java error")));
        // Flask's own tagged JSON of what it read (keys sorted, as Flask writes inside a request): the
        // types survived the trip, tuples included.
        assertThat((String) shownByFlask.get("session")).isEqualTo("{\"bytes\":{\" b\":\"AAH+\"},"
                + "\"escaped\":{\" di\":{\" b__\":\"not bytes\"}},\"tuple\":{\" t\":[\"widget\",2]},"
                + "\"uuid\":{\" u\":\"12345678123456781234567812345678\"},"
                + "\"when\":{\" d\":\"Fri, 02 Jan 2026 03:04:05 GMT\"}}");
        @SuppressWarnings("unchecked")
        Map<String, Object> untagged = (Map<String, Object>) FlaskSerializer.untag(
                SessionJson.read((String) shownByFlask.get("session")));
        assertThat(untagged.get("escaped")).isEqualTo(Map.of(" b", "not bytes"));
    }

    private HttpResponse<String> get(String url, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            request.header("Cookie", "session=" + cookie);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response;
    }

    private static String sessionCookie(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith("session=")) {
                String value = header.substring("session=".length(), header.indexOf(';'));
                return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
            }
        }
        throw new AssertionError("no session cookie in " + response.headers().map());
    }

    private static Path root() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/flask-session-app.py"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root above " + Paths.get("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
