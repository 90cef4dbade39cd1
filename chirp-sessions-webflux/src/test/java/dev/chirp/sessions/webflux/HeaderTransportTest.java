package dev.chirp.sessions.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The header transport on WebFlux, through a plain HTTP client on Reactor Netty: the token comes and goes in
 * {@code X-Session-Token}, never in a cookie, and needs no CSRF token.
 */
class HeaderTransportTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp(new SessionMiddleware(SessionConfig.builder(WebFluxSessionsTest.SECRET)
                .transport(SessionTransport.HEADER).build()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(app.base() + path)).GET(), token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header(SessionConfig.DEFAULT_HEADER_NAME, token);
        }
        return new Client(app.base(), "unused").send(request);
    }

    @Test
    void theSessionTravelsInTheTokenHeaderNotInACookie() {
        HttpResponse<String> put = get("/put?key=user&value=ada", null);
        assertThat(Client.setCookies(put)).isEmpty();
        String token = put.headers().firstValue(SessionConfig.DEFAULT_HEADER_NAME).orElseThrow();
        assertThat(put.headers().allValues("Vary").toString()).contains(SessionConfig.DEFAULT_HEADER_NAME);

        assertThat(get("/get?key=user", token).body()).isEqualTo("ada");
        assertThat(get("/get?key=user", null).body()).isEqualTo("null");
        assertThat(get("/get?key=user", token + "x").body()).as("a tampered token").isEqualTo("null");
    }

    @Test
    void aSessionCarriedByTheHeaderNeedsNoCsrfToken() {
        String token = get("/put?key=user&value=ada", null).headers()
                .firstValue(SessionConfig.DEFAULT_HEADER_NAME).orElseThrow();
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(app.base() + "/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")), token);
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("accepted");
    }
}
