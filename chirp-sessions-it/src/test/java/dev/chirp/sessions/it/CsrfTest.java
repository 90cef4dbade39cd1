package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.httpserver.CsrfHttpFilter;
import dev.chirp.sessions.servlet.CsrfFilter;
import dev.chirp.sessions.testkit.Python;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CSRF adapters on real servers through real HTTP: {@link CsrfFilter} on Jetty and Tomcat,
 * {@link CsrfHttpFilter} on the JDK server, each after its session filter, with one small application
 * ({@link CsrfServers}):
 * {@code GET /form} prints the token, {@code POST /transfer} echoes the form (the servlet through
 * {@code getParameter}, the JDK handler by reading the body itself), {@code /webhooks/*} is exempt.
 */
class CsrfTest {

    private static final String SECRET = "csrf-it-secret-0123456789-0123456789-0123";

    /** The three servers. */
    enum Kind { JETTY, TOMCAT, JDK }

    private final HttpClient http = Browser.newClient(HttpClient.newBuilder());

    /** A client with its own cookie jar: one browser. */
    private final class Client {
        final URI base;
        final Map<String, String> jar = new LinkedHashMap<>();

        Client(URI base) {
            this.base = base;
        }

        HttpResponse<String> send(String method, String path, String contentType, String body,
                Map<String, String> headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            headers.forEach(request::header);
            if (!jar.isEmpty()) {
                StringBuilder cookie = new StringBuilder();
                jar.forEach((k, v) -> cookie.append(cookie.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                request.header("Cookie", cookie.toString());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("set-cookie")) {
                Browser.SetCookie cookie = Browser.SetCookie.parse(header);
                if (cookie.isDeletion()) {
                    jar.remove(cookie.name());
                } else {
                    jar.put(cookie.name(), cookie.value());
                }
            }
            return response;
        }

        String token() throws Exception {
            HttpResponse<String> page = send("GET", "form", null, null, Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            return page.body();
        }

        HttpResponse<String> postForm(String path, String form) throws Exception {
            return send("POST", path, "application/x-www-form-urlencoded", form, Map.of());
        }

        HttpResponse<String> postWithHeader(String method, String path, String token) throws Exception {
            return send(method, path, "application/json", "{\"amount\":5}", Map.of("X-CSRF-Token", token));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theTokenIsAcceptedFromTheHeaderAndFromTheFormWhoseFieldsTheHandlerStillReads(Kind kind) throws Exception {
        try (CsrfServers.Running server = start(kind)) {
            Client alice = new Client(server.base());
            String token = alice.token();
            assertThat(token).matches("[0-9a-f]{64}");

            HttpResponse<String> form = alice.postForm("transfer", "amount=10&_csrf_token=" + token + "&to=b%26c");
            assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
            assertThat(form.body()).isEqualTo(kind == Kind.JDK
                    ? "ok body=amount=10&_csrf_token=" + token + "&to=b%26c"
                    : "ok amount=10 to=b&c");
            for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
                HttpResponse<String> header = alice.postWithHeader(method, "transfer", token);
                assertThat(header.statusCode()).as(method + " " + header.body()).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void missingWrongAndForeignTokensGetA403WithTheReason(Kind kind) throws Exception {
        try (CsrfServers.Running server = start(kind)) {
            Client alice = new Client(server.base());
            String token = alice.token();
            Client mallory = new Client(server.base());
            String foreign = mallory.token();

            HttpResponse<String> missing = alice.postForm("transfer", "amount=10");
            assertThat(missing.statusCode()).isEqualTo(403);
            assertThat(missing.body()).startsWith("CSRF token missing: ");
            HttpResponse<String> noBody = alice.send("DELETE", "transfer", null, null, Map.of());
            assertThat(noBody.statusCode()).isEqualTo(403);

            HttpResponse<String> wrong = alice.postWithHeader("POST", "transfer", token.replace(token.charAt(0),
                    token.charAt(0) == 'a' ? 'b' : 'a'));
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(wrong.body()).startsWith("CSRF token invalid: ").doesNotContain(token);

            HttpResponse<String> stolen = alice.postForm("transfer", "amount=10&_csrf_token=" + foreign);
            assertThat(stolen.statusCode()).isEqualTo(403);
            assertThat(stolen.body()).startsWith("CSRF token invalid: ");

            Client fresh = new Client(server.base());
            assertThat(fresh.postWithHeader("POST", "transfer", token).statusCode())
                    .as("a token without its session").isEqualTo(403);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void safeMethodsAndExemptPathsPassWithoutATokenAndWithoutASession(Kind kind) throws Exception {
        try (CsrfServers.Running server = start(kind)) {
            Client client = new Client(server.base());
            HttpResponse<String> hook = client.postForm("webhooks/in", "event=paid");
            assertThat(hook.statusCode()).isEqualTo(200);
            assertThat(hook.headers().allValues("set-cookie")).isEmpty();
            HttpResponse<String> get = client.send("GET", "transfer", null, null, Map.of());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().allValues("set-cookie")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTokenIssuedByChirpIsAcceptedAndOursIsChirpsFormat(Kind kind) throws Exception {
        String minted = python("import json, secrets, sys\n"
                + "from itsdangerous import URLSafeTimedSerializer\n"
                + "token = secrets.token_hex(32)\n"
                + "print(token + ' ' + URLSafeTimedSerializer(sys.argv[1]).dumps({'_csrf_token': token}))", SECRET);
        String chirpToken = minted.substring(0, minted.indexOf(' '));
        String chirpCookie = minted.substring(minted.indexOf(' ') + 1);
        try (CsrfServers.Running server = start(kind)) {
            Client client = new Client(server.base());
            client.jar.put("chirp_session", chirpCookie);
            assertThat(client.postWithHeader("POST", "transfer", chirpToken).statusCode()).isEqualTo(200);
            assertThat(client.token()).isEqualTo(chirpToken);

            Client java = new Client(server.base());
            String ours = java.token();
            String seenByPython = python("import sys\n"
                    + "from itsdangerous import URLSafeTimedSerializer\n"
                    + "print(URLSafeTimedSerializer(sys.argv[1]).loads(sys.argv[2])['_csrf_token'])",
                    SECRET, java.jar.get("chirp_session"));
            assertThat(seenByPython).isEqualTo(ours);
        }
    }

    private static String python(String script, String... args) throws Exception {
        Python.assumeModules("itsdangerous");
        return Python.run(script, args);
    }

    private static CsrfServers.Running start(Kind kind) throws Exception {
        return CsrfServers.start(kind, new SessionMiddleware(SessionConfig.builder(SECRET).build()));
    }
}
