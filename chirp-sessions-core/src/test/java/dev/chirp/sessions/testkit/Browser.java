package dev.chirp.sessions.testkit;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import dev.chirp.sessions.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tiny test exchange: plays a browser with one cookie jar against a {@link SessionMiddleware}, the way
 * a server adapter drives it (begin, bind, handler, commit, finish).
 */
public final class Browser {

    private final SessionMiddleware middleware;
    private final String cookieName;
    private String cookie;

    public Browser(SessionMiddleware middleware) {
        this.middleware = middleware;
        this.cookieName = middleware.config().cookieName();
    }

    /** The response headers of one request. */
    public static final class Response {
        public final List<String> setCookies = new ArrayList<>();
        public final List<String> vary = new ArrayList<>();

        Response() {
        }

        public boolean setsCookie() {
            return !setCookies.isEmpty();
        }

        public String setCookie() {
            if (setCookies.size() != 1) {
                throw new AssertionError("expected exactly one Set-Cookie, got " + setCookies);
            }
            return setCookies.get(0);
        }

        public boolean deletesCookie() {
            return setsCookie() && setCookie().contains("Max-Age=0");
        }

        /** The cookie value the response sets. */
        public String cookieValue() {
            String header = setCookie();
            return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
        }
    }

    /** Runs {@code handler} as one request that sends the jar's cookie, then stores what the response sets. */
    public Response request(Consumer<Session> handler) {
        return requestWithCookieHeader(cookie == null ? null : cookieName + "=" + cookie, handler);
    }

    /** Runs {@code handler} with an explicit raw Cookie header (or null), updating the jar from the response. */
    public Response requestWithCookieHeader(String cookieHeader, Consumer<Session> handler) {
        SessionRequest request = middleware.begin(cookieHeader);
        Response response = new Response();
        try (SessionRequest.Binding ignored = request.bind()) {
            handler.accept(Sessions.get());
        } catch (RuntimeException e) {
            request.discard(); // as an adapter does for a handler that throws
            throw e;
        }
        request.commit((name, value) -> {
            if (name.equals("Set-Cookie")) {
                response.setCookies.add(value);
            } else if (name.equals("Vary")) {
                response.vary.add(value);
            } else {
                throw new AssertionError("unexpected header " + name);
            }
        });
        request.finish();
        for (String header : response.setCookies) {
            if (header.startsWith(cookieName + "=")) {
                cookie = header.contains("Max-Age=0") ? null : header.substring(cookieName.length() + 1,
                        header.indexOf(';'));
            }
        }
        return response;
    }

    public String cookie() {
        return cookie;
    }

    public void setCookie(String value) {
        this.cookie = value;
    }
}
