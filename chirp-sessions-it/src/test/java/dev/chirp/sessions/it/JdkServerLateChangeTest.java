package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.httpserver.SessionHttpFilter;
import dev.chirp.sessions.testkit.LogCapture;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JDK idiom of closing the response body in try-with-resources, then changing the session too late. */
class JdkServerLateChangeTest {

    @Test
    void inPlaceChangeAfterClosingTheBodyIsReported() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SessionMiddleware mw = new SessionMiddleware(SessionConfig.builder("late-change-secret-0123456789-0123456789-abc").build());
        HttpContext ctx = server.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/put")) {
                Sessions.get().put("cart", new ArrayList<>(List.of("a")));
            }
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) Sessions.get().get("cart");
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
            if (ex.getRequestURI().getPath().equals("/late")) {
                cart.add("b"); // lost: the cookie is gone
            }
        });
        ctx.getFilters().add(new SessionHttpFilter(mw));
        server.start();
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(base + "/put")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = put.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            client.send(HttpRequest.newBuilder(URI.create(base + "/late")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(log.awaitWarning("changed in place after it was written"))
                    .anySatisfy(w -> assertThat(w).contains("changed in place after it was written"));
        } finally {
            server.stop(0);
        }
    }
}
