package dev.chirp.sessions;

import java.time.Duration;
import java.util.Map;

/**
 * The default {@link SessionStore}: the whole session travels in the signed cookie, as in chirp. Nothing
 * to operate and any number of servers; the price is the 4 KB cookie limit, and a logged-out cookie
 * stays valid until it expires (see the README's security notes).
 */
public final class CookieSessionStore implements SessionStore {

    /** Creates the store; it holds no state. */
    public CookieSessionStore() {
    }

    @Override
    public Map<String, Object> load(Map<String, Object> cookiePayload) {
        return cookiePayload;
    }

    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration timeToLive) {
        return data;
    }

    @Override
    public boolean delete(Map<String, Object> cookiePayload) {
        // The cookie is the only copy; the deletion cookie removes it from the browser.
        return true;
    }

    @Override
    public String toString() {
        return "CookieSessionStore";
    }
}
