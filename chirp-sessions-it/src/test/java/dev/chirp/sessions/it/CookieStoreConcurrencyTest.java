package dev.chirp.sessions.it;

import dev.chirp.sessions.CookieSessionStore;
import dev.chirp.sessions.SessionStore;

/**
 * The concurrency contract on the cookie store, the default: it cannot merge, so this pins what it does
 * instead. Overlapping requests each send a cookie with only their own change, and the browser keeps the
 * last one; a read-only request sends no cookie, so it can never overwrite a write; a slow write after a
 * regenerate brings the old session back in that browser (docs/concurrency.md says so and names the
 * remedies); "log out everywhere" holds through session versions.
 */
class CookieStoreConcurrencyTest extends StoreConcurrencyContract {

    @Override
    protected SessionStore newStore() {
        return new CookieSessionStore();
    }

    @Override
    protected boolean cookieStore() {
        return true;
    }
}
