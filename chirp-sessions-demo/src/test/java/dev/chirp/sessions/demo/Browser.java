package dev.chirp.sessions.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser with a one-cookie jar for {@code chirp_session}, talking real HTTP to the demo. */
final class Browser {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf_token\" value=\"([0-9a-f]{64})\"");

    private final URI base;
    /** The {@code chirp_session} value the browser sends, or {@code null}. */
    String cookie;

    Browser(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    /**
     * POSTs {@code form} as a browser submits a form of the demo: with the CSRF token that the page
     * carries, taken from a fresh {@code GET /cart} (a page that always has a form and changes nothing else).
     */
    HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        Map<String, String> withToken = new LinkedHashMap<>(form);
        withToken.put("_csrf_token", csrfToken());
        return postWithoutToken(path, withToken);
    }

    /** The {@code _csrf_token} of the form on {@code GET /cart}. */
    String csrfToken() throws IOException, InterruptedException {
        Matcher m = TOKEN.matcher(get("/cart").body());
        if (!m.find()) {
            throw new AssertionError("no _csrf_token field on /cart");
        }
        return m.group(1);
    }

    /** POSTs exactly {@code form}, adding no token. */
    HttpResponse<String> postWithoutToken(String path, Map<String, String> form)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path));
        if (cookie != null) {
            builder.header("Cookie", "chirp_session=" + cookie);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        for (String setCookie : setCookies(response)) {
            String value = setCookie.substring("chirp_session=".length(), setCookie.indexOf(';'));
            cookie = setCookie.contains("Max-Age=0") || value.isEmpty() ? null : value;
        }
        return response;
    }

    static List<String> setCookies(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("chirp_session="))
                .collect(Collectors.toList());
    }
}
