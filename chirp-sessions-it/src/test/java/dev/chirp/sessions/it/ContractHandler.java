package dev.chirp.sessions.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import dev.chirp.sessions.NoActiveSessionException;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.httpserver.SessionHttpFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The contract's handler on the JDK server: {@code /<app>/<op>} runs a neutral {@link SessionOps}
 * operation, {@code /<app>/x/<case>} one of the cases particular to this server.
 */
final class ContractHandler implements HttpHandler {

    private final ExecutorService async;

    ContractHandler(ExecutorService async) {
        this.async = async;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int slash = path.indexOf('/', 1);
        String op = slash < 0 ? "" : path.substring(slash + 1);
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        if (op.startsWith("x/")) {
            serverCase(op.substring(2), q, exchange);
            return;
        }
        String body = SessionOps.run(op, q);
        if (body == null) {
            send(exchange, 404, "no such operation: " + op);
            return;
        }
        send(exchange, 200, body);
    }

    private void serverCase(String name, Map<String, String> q, HttpExchange exchange) throws IOException {
        switch (name) {
            case "chunked" -> {
                Sessions.get().put("v", "chunked");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("before;".getBytes(StandardCharsets.UTF_8));
                    out.write(SessionOps.latePut(null).getBytes(StandardCharsets.UTF_8));
                }
            }
            case "late-inplace", "late-first-touch", "late-control" -> {
                // The commit point (sendResponseHeaders), then an in-place change to the cart.
                if (name.equals("late-inplace")) {
                    Sessions.get().get("other");
                } else if (name.equals("late-control")) {
                    Sessions.get().get("cart");
                }
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("sent;".getBytes(StandardCharsets.UTF_8));
                    SessionOps.addToCartInPlace();
                    out.write("changed".getBytes(StandardCharsets.UTF_8));
                }
            }
            case "late-inplace-then-throw" -> {
                Sessions.get().get("cart");
                byte[] body = "sent".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                SessionOps.addToCartInPlace();
                throw new IllegalStateException("handler failed on purpose after its response was sent");
            }
            case "late-async" -> async.execute(() -> {
                // Answers from another thread and closes the response body, not the exchange.
                try {
                    Session session = SessionHttpFilter.session(exchange);
                    session.get("other");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write("sent;".getBytes(StandardCharsets.UTF_8));
                        @SuppressWarnings("unchecked")
                        List<Object> cart = (List<Object>) session.get("cart");
                        cart.add("b");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            case "no-body" -> {
                Sessions.get().put("v", "no-body");
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            }
            case "async" -> async.execute(() -> {
                try {
                    long n = SessionOps.count(SessionHttpFilter.session(exchange));
                    send(exchange, 200, "async count=" + n);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            case "ssl" -> send(exchange, 200, exchange instanceof HttpsExchange
                    ? ((HttpsExchange) exchange).getSSLSession().getProtocol() : "plain");
            case "accessor" -> {
                String filtered;
                try {
                    filtered = "session keys " + SessionHttpFilter.session(exchange).keySet();
                } catch (NoActiveSessionException e) {
                    filtered = "no session";
                }
                send(exchange, 200, filtered + "; Sessions.get(): "
                        + (Sessions.find().isPresent() ? "bound" : "not bound"));
            }
            default -> send(exchange, 404, "no such case: " + name);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                q.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }
}
