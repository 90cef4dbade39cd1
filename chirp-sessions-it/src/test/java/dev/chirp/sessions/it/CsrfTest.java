package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.httpserver.CsrfHttpFilter;
import dev.chirp.sessions.servlet.CsrfFilter;
import dev.chirp.sessions.testkit.Python;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

        /**
         * Sends a request line exactly as given (HttpClient would refuse or rewrite these paths) with this
         * client's cookies, and returns the status code and the raw rest of the response.
         */
        RawResponse raw(String method, String rawPath, String contentType, String body) throws Exception {
            StringBuilder request = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(base.getPort()).append("\r\nConnection: close\r\n");
            if (!jar.isEmpty()) {
                StringBuilder cookie = new StringBuilder();
                jar.forEach((k, v) -> cookie.append(cookie.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                request.append("Cookie: ").append(cookie).append("\r\n");
            }
            byte[] content = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
            if (contentType != null) {
                request.append("Content-Type: ").append(contentType).append("\r\n");
            }
            request.append("Content-Length: ").append(content.length).append("\r\n\r\n");
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(content);
                out.flush();
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int status = Integer.parseInt(response.substring(9, 12));
                int headersEnd = response.indexOf("\r\n\r\n");
                return new RawResponse(status, headersEnd < 0 ? "" : response.substring(headersEnd + 4));
            }
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

    record RawResponse(int status, String body) {
    }

    // Each path reaches /transfer (checked) for a server or handler that resolves it, while its raw text
    // starts with the exempt /webhooks/.
    private static final String[] AMBIGUOUS_PATHS = {
        "/webhooks/../transfer", "/webhooks/./../transfer", "/webhooks/%2e%2e/transfer", "/webhooks/%2E%2E/transfer",
        "/webhooks/.%2e/transfer", "/webhooks%2F..%2Ftransfer", "/webhooks/..%2ftransfer", "/webhooks/..%5Ctransfer",
        "/webhooks/..%5ctransfer", "/webhooks/..",
    };

    @ParameterizedTest
    @EnumSource(Kind.class)
    void exemptPathsAreMatchedOnTheNormalisedPathAndAmbiguousPathsNeverPassWithoutAToken(Kind kind) throws Exception {
        try (CsrfServers.Running server = start(kind)) {
            Client alice = new Client(server.base());
            alice.token();
            assertThat(alice.raw("POST", "/webhooks/in", "application/x-www-form-urlencoded", "amount=1").status())
                    .as("the exempt path itself").isEqualTo(200);
            for (String path : AMBIGUOUS_PATHS) {
                RawResponse response = alice.raw("POST", path, "application/x-www-form-urlencoded", "amount=1");
                assertThat(response.body()).as(kind + " POST " + path).doesNotStartWith("ok");
                if (kind == Kind.JDK) {
                    // The JDK server hands the path over as sent: the filter refuses it.
                    assertThat(response.status()).as(path).isEqualTo(403);
                    assertThat(response.body()).as(path).startsWith("CSRF check refused an ambiguous path");
                } else {
                    // Jetty and Tomcat resolve the dots before the filter (403: /transfer has no token) or
                    // refuse the path themselves (400).
                    assertThat(response.status()).as(kind + " POST " + path).isIn(400, 403);
                }
            }
            RawResponse dots = alice.raw("POST", "/webhooks/../transfer", "application/x-www-form-urlencoded",
                    "amount=1");
            if (kind != Kind.JDK) {
                assertThat(dots.status()).as("resolved to /transfer, which is checked").isEqualTo(403);
                assertThat(dots.body()).contains("CSRF token missing: ");
            }
            assertThat(alice.raw("GET", "/webhooks/../transfer", null, null).status())
                    .as("a safe method is not refused for its path").isNotEqualTo(403);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTokenInTheQueryStringIsNeverRead(Kind kind) throws Exception {
        try (CsrfServers.Running server = start(kind)) {
            Client alice = new Client(server.base());
            String token = alice.token();

            RawResponse emptyBody = alice.raw("POST", "/transfer?_csrf_token=" + token,
                    "application/x-www-form-urlencoded", "");
            assertThat(emptyBody.status()).as("token only in the URL, empty form").isEqualTo(403);
            assertThat(emptyBody.body()).contains("CSRF token missing: ");

            RawResponse otherFields = alice.raw("POST", "/transfer?_csrf_token=" + token + "&_csrf_token=" + token,
                    "application/x-www-form-urlencoded", "amount=10");
            assertThat(otherFields.status()).as("token only in the URL, twice").isEqualTo(403);

            RawResponse encodedName = alice.raw("POST", "/transfer?%5Fcsrf%5Ftoken=" + token,
                    "application/x-www-form-urlencoded", "amount=10");
            assertThat(encodedName.status()).as("token in the URL under an encoded name").isEqualTo(403);

            RawResponse bodyWins = alice.raw("POST", "/transfer?_csrf_token=0000",
                    "application/x-www-form-urlencoded", "amount=10&_csrf_token=" + token);
            assertThat(bodyWins.status()).as("a wrong token in the URL, the right one in the body")
                    .isEqualTo(200);
            assertThat(bodyWins.body()).startsWith("ok");

            RawResponse wrongBody = alice.raw("POST", "/transfer?_csrf_token=" + token,
                    "application/x-www-form-urlencoded", "amount=10&_csrf_token=0000");
            assertThat(wrongBody.status()).as("the right token in the URL, a wrong one in the body")
                    .isEqualTo(403);
            assertThat(wrongBody.body()).contains("CSRF token invalid: ");
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
