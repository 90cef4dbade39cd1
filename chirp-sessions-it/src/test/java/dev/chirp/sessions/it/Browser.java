package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One client with its own cookie jar, handled by hand (no {@code CookieHandler}) so that tests see
 * every raw {@code Set-Cookie} header and choose exactly which {@code Cookie} headers are sent.
 */
final class Browser {

    /** How long a connection or a request may take before the test calls the server hung. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    private final HttpClient client;
    private final URI base;
    private final Map<String, String> jar = new LinkedHashMap<>();

    Browser(HttpClient client, URI base) {
        this.client = client;
        this.base = base;
    }

    /**
     * A client for the tests. Its timeouts only guard against a hung server: they are far above what any
     * request needs, because a loaded 2-core CI machine can stall a request for seconds.
     */
    static HttpClient newClient(HttpClient.Builder builder) {
        return builder.version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(HANG_GUARD)
                .build();
    }

    Map<String, String> jar() {
        return jar;
    }

    /** GET with the jar's cookies in one {@code Cookie} header; the jar takes what the response sets. */
    Reply get(String path) {
        List<String> headers = new ArrayList<>();
        if (!jar.isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            jar.forEach((name, value) -> cookie.append(cookie.length() == 0 ? "" : "; ")
                    .append(name).append('=').append(value));
            headers.add(cookie.toString());
        }
        return send(path, headers);
    }

    /** GET with exactly these raw {@code Cookie} headers (the jar is not sent, but still updated). */
    Reply send(String path, List<String> cookieHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(HANG_GUARD);
        for (String header : cookieHeaders) {
            request.header("Cookie", header);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return take(new Reply(response));
    }

    /**
     * Updates the jar from what {@code reply} sets, as a browser does with every response it receives
     * (also one fetched by another client, for tests that order overlapping responses themselves).
     */
    Reply take(Reply reply) {
        for (String header : reply.setCookies()) {
            SetCookie cookie = SetCookie.parse(header);
            if ("0".equals(cookie.attributes().get("max-age"))) {
                jar.remove(cookie.name());
            } else {
                jar.put(cookie.name(), cookie.value());
            }
        }
        return reply;
    }

    /** A response: status, body and raw headers. */
    record Reply(HttpResponse<String> response) {

        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        List<String> setCookies() {
            return response.headers().allValues("set-cookie");
        }

        List<String> vary() {
            return response.headers().allValues("vary");
        }

        /** Asserts exactly one {@code Set-Cookie} for {@code name} and returns it. */
        SetCookie onlyCookie(String name) {
            List<SetCookie> matching = setCookies().stream().map(SetCookie::parse)
                    .filter(c -> c.name().equals(name)).toList();
            assertThat(matching).as("Set-Cookie headers named %s in %s", name, setCookies()).hasSize(1);
            return matching.get(0);
        }

        SetCookie onlyCookie() {
            return onlyCookie("chirp_session");
        }

        @Override
        public String toString() {
            return status() + " " + response.headers().map() + " " + body();
        }
    }

    /** A parsed {@code Set-Cookie} header; attribute names lower-cased, flags map to "". */
    record SetCookie(String name, String value, Map<String, String> attributes) {

        static SetCookie parse(String header) {
            String[] parts = header.split(";");
            int eq = parts[0].indexOf('=');
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i].trim();
                int e = part.indexOf('=');
                attributes.put((e < 0 ? part : part.substring(0, e)).toLowerCase(Locale.ROOT),
                        e < 0 ? "" : part.substring(e + 1));
            }
            return new SetCookie(parts[0].substring(0, eq).trim(), parts[0].substring(eq + 1).trim(), attributes);
        }

        boolean isDeletion() {
            return "0".equals(attributes.get("max-age"));
        }
    }
}
