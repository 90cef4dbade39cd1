package dev.chirp.sessions.starterapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/** A real HTTP client with a cookie jar that also remembers every Set-Cookie header it ever received. */
final class HttpBrowser {

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    final Map<String, String> jar = new LinkedHashMap<>();
    final List<String> allSetCookies = new ArrayList<>();

    HttpBrowser(ConfigurableApplicationContext app) {
        this.base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (!jar.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            jar.forEach((name, value) -> pairs.add(name + "=" + value));
            request.header("Cookie", String.join("; ", pairs));
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                allSetCookies.add(header);
                String pair = header.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (header.contains("Max-Age=0") || value.isEmpty()) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
