package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The header transport on Jetty, Tomcat and the JDK server through a plain {@code java.net.http} client,
 * as an API or mobile client uses it: the token comes back in {@code X-Session-Token}, goes out in the
 * same header, an empty value ends it, and a session carried by the header needs no CSRF token while a
 * cookie session on the same server still does.
 */
class HeaderTransportTest {

    private static final String SECRET = "header-it-secret-0123456789-0123456789-01";
    private static final String HEADER = "X-Session-Token";

    private final HttpClient http = Browser.newClient(HttpClient.newBuilder());

    private static SessionMiddleware middleware(SessionTransport transport) {
        return new SessionMiddleware(SessionConfig.builder(SECRET).transport(transport).build());
    }

    /** An API client: keeps the token from the last response that carried the header, sends it back. */
    private final class ApiClient {
        final URI base;
        /** Null before the client holds a token; it then sends an empty header ("I am a header client"). */
        String token;
        final Map<String, String> cookies = new LinkedHashMap<>();

        ApiClient(URI base) {
            this.base = base;
        }

        HttpResponse<String> send(String method, String path) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header(HEADER, token == null ? "" : token);
            if (!cookies.isEmpty()) {
                StringBuilder header = new StringBuilder();
                cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                request.header("Cookie", header.toString());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Optional<String> issued = response.headers().firstValue(HEADER);
            issued.ifPresent(value -> token = value.isEmpty() ? null : value);
            return response;
        }
    }

    @ParameterizedTest
    @EnumSource(CsrfTest.Kind.class)
    void theTokenTravelsInTheHeaderAndNoCookieIsEverSet(CsrfTest.Kind kind) throws Exception {
        try (CsrfServers.Running server = CsrfServers.start(kind, middleware(SessionTransport.HEADER))) {
            ApiClient client = new ApiClient(server.base());
            HttpResponse<String> put = client.send("GET", "put?v=alice");
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(put.headers().allValues("set-cookie")).isEmpty();
            assertThat(put.headers().allValues("vary")).contains(HEADER);
            assertThat(client.token).isNotEmpty();
            String issued = client.token;

            HttpResponse<String> get = client.send("GET", "get");
            assertThat(get.body()).isEqualTo("alice");
            assertThat(get.headers().firstValue(HEADER)).as("read-only: nothing re-issued").isEmpty();
            assertThat(client.token).isEqualTo(issued);

            HttpResponse<String> untouched = client.send("GET", "transfer");
            assertThat(untouched.headers().map()).doesNotContainKeys(HEADER.toLowerCase(), "vary");

            ApiClient stranger = new ApiClient(server.base());
            assertThat(stranger.send("GET", "get").body()).as("no token, no session").isEqualTo("null");
        }
    }

    @ParameterizedTest
    @EnumSource(CsrfTest.Kind.class)
    void anEmptyHeaderValueEndsTheSessionAndATamperedTokenIsAnEmptySession(CsrfTest.Kind kind) throws Exception {
        try (CsrfServers.Running server = CsrfServers.start(kind, middleware(SessionTransport.HEADER))) {
            ApiClient client = new ApiClient(server.base());
            client.send("GET", "put?v=alice");
            HttpResponse<String> cleared = client.send("GET", "clear");
            assertThat(cleared.headers().allValues(HEADER)).as("deletion is the header with an empty value")
                    .containsExactly("");
            assertThat(client.token).isNull();

            client.send("GET", "put?v=bob");
            String token = client.token;
            client.token = token.substring(0, 3) + (token.charAt(3) == 'A' ? 'B' : 'A') + token.substring(4);
            HttpResponse<String> tampered = client.send("GET", "get");
            assertThat(tampered.statusCode()).isEqualTo(200);
            assertThat(tampered.body()).isEqualTo("null");
            assertThat(tampered.headers().allValues(HEADER)).containsExactly("");
        }
    }

    @ParameterizedTest
    @EnumSource(CsrfTest.Kind.class)
    void aSessionTooLargeForTheHeaderFailsTheRequestInsteadOfLosingIt(CsrfTest.Kind kind) throws Exception {
        try (CsrfServers.Running server = CsrfServers.start(kind, middleware(SessionTransport.HEADER))) {
            ApiClient client = new ApiClient(server.base());
            client.send("GET", "put?v=alice");
            String kept = client.token;
            HttpResponse<String> big = client.send("GET", "big");
            assertThat(big.statusCode()).isEqualTo(500);
            assertThat(big.headers().allValues(HEADER)).isEmpty();
            assertThat(client.token).isEqualTo(kept);
            assertThat(client.send("GET", "get").body()).isEqualTo("alice");
        }
    }

    @ParameterizedTest
    @EnumSource(CsrfTest.Kind.class)
    void aSessionCarriedByTheHeaderNeedsNoCsrfTokenButACookieSessionStillDoes(CsrfTest.Kind kind) throws Exception {
        try (CsrfServers.Running server = CsrfServers.start(kind, middleware(SessionTransport.COOKIE_OR_HEADER))) {
            ApiClient api = new ApiClient(server.base());
            api.send("GET", "put?v=alice");
            assertThat(api.token).isNotEmpty();
            HttpResponse<String> post = api.send("POST", "transfer");
            assertThat(post.statusCode()).as(post.body()).isEqualTo(200);

            // A browser on the same server: its session is a cookie, so a POST without the CSRF token
            // is refused, exactly as with the cookie transport.
            HttpRequest.Builder page = HttpRequest.newBuilder(server.base().resolve("put?v=bob"));
            HttpResponse<String> browser = http.send(page.build(), HttpResponse.BodyHandlers.ofString());
            String setCookie = browser.headers().firstValue("set-cookie").orElseThrow();
            assertThat(setCookie).startsWith("chirp_session=");
            assertThat(browser.headers().firstValue(HEADER)).isEmpty();
            assertThat(browser.headers().allValues("vary")).contains("Cookie, " + HEADER);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            HttpResponse<String> forged = http.send(HttpRequest.newBuilder(server.base().resolve("transfer"))
                    .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(403);

            // The same cookie beside an empty token header: the request is a header client, whose session
            // is not the cookie's, so skipping the CSRF check hands it nothing of the cookie session.
            ApiClient both = new ApiClient(server.base());
            both.cookies.put("chirp_session", cookie.substring(cookie.indexOf('=') + 1));
            assertThat(both.send("GET", "get").body()).isEqualTo("null");
        }
    }
}
