package dev.chirp.sessions.httpserver;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.chirp.sessions.SessionRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One exchange's session handling, shared by the HTTP and HTTPS exchange wrappers: writes the session
 * headers inside {@code sendResponseHeaders}, the last moment they can still be sent.
 */
final class ExchangeState {

    private final SessionRequest session;
    private final AtomicBoolean sent = new AtomicBoolean();
    private volatile ResponseBody body;

    ExchangeState(SessionRequest session) {
        this.session = session;
    }

    SessionRequest session() {
        return session;
    }

    boolean headersSent() {
        return sent.get();
    }

    /**
     * Adds the session headers, then sends the response headers.
     *
     * @throws RuntimeException what {@link SessionRequest#commit} threw (too large, store failure): a 500
     *                          without the handler's headers was sent instead
     */
    void sendResponseHeaders(HttpExchange exchange, int code, long length) throws IOException {
        List<String[]> produced = new ArrayList<>(2);
        try {
            session.commit((name, value) -> produced.add(new String[] {name, value}));
        } catch (RuntimeException e) {
            sendFailure(exchange);
            throw e;
        }
        Headers headers = exchange.getResponseHeaders();
        for (String[] header : produced) {
            headers.add(header[0], header[1]);
        }
        sent.set(true);
        exchange.sendResponseHeaders(code, length);
    }

    /**
     * The response body of {@code exchange}, wrapped so that closing it ends this exchange's session
     * handling; the same wrapper while the exchange hands out the same stream.
     */
    OutputStream responseBody(HttpExchange exchange) {
        OutputStream stream = exchange.getResponseBody();
        ResponseBody wrapped = body;
        if (wrapped == null || wrapped.delegate() != stream) {
            wrapped = new ResponseBody(stream, this);
            body = wrapped;
        }
        return wrapped;
    }

    /**
     * The handler threw: nothing is saved, and the client gets a 500 if no response was sent yet (the
     * JDK server would otherwise close the connection without one).
     */
    void fail(HttpExchange exchange) {
        session.discard();
        sendFailure(exchange);
        exchange.close();
        finish();
    }

    /**
     * The exchange ended (closed through the exchange or its response body, the handler returned after
     * sending the headers, or it threw): reports changes that can no longer reach the browser, through
     * {@link SessionRequest#finish()}, which reports each problem once per request however often it
     * runs: closing the body early and changing the session afterwards must still be reported.
     */
    void finish() {
        session.finish();
    }

    private void sendFailure(HttpExchange exchange) {
        if (!sent.compareAndSet(false, true)) {
            return;
        }
        try {
            exchange.getResponseHeaders().clear();
            exchange.sendResponseHeaders(500, -1);
        } catch (IOException e) {
            // The client is gone or headers were sent around this filter: nothing more to tell it.
        }
    }
}
