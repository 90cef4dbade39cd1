package dev.chirp.sessions.redis;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.signing.TimedSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A tiny test exchange that plays one browser with one cookie jar: it drives the middleware the way a
 * server adapter does (begin, bind, handler, commit, finish) and keeps whatever Set-Cookie says.
 */
final class Browser {

    private final SessionMiddleware middleware;
    private final String cookieName;
    private String cookie;

    Browser(SessionMiddleware middleware) {
        this.middleware = middleware;
        this.cookieName = middleware.config().cookieName();
    }

    /** The session headers of one response. */
    static final class Response {
        final List<String> setCookies = new ArrayList<>();
        final List<String> vary = new ArrayList<>();

        boolean setsCookie() {
            return !setCookies.isEmpty();
        }

        boolean deletesCookie() {
            return setCookies.size() == 1 && setCookies.get(0).contains("Max-Age=0");
        }
    }

    /** One request sending the jar's cookie; the jar takes what the response sets. */
    Response request(Consumer<Session> handler) {
        return request(cookie, handler);
    }

    /** One request sending {@code cookieValue} (or none); the jar takes what the response sets. */
    Response request(String cookieValue, Consumer<Session> handler) {
        SessionRequest request = middleware.begin(cookieValue == null ? null : cookieName + "=" + cookieValue);
        Response response = new Response();
        try (SessionRequest.Binding ignored = request.bind()) {
            handler.accept(Sessions.get());
        } catch (RuntimeException e) {
            request.discard();
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
                cookie = header.contains("Max-Age=0") ? null
                        : header.substring(cookieName.length() + 1, header.indexOf(';'));
            }
        }
        return response;
    }

    String cookie() {
        return cookie;
    }

    void setCookie(String value) {
        cookie = value;
    }

    /** The session id inside the jar's cookie, read without verifying (tests only). */
    String sessionId() {
        return sessionId(cookie);
    }

    static String sessionId(String cookieValue) {
        Object payload = TimedSerializer.loadsUnsafe(cookieValue).value();
        return (String) ((Map<?, ?>) payload).get(RedisSessionStore.SESSION_ID);
    }
}
