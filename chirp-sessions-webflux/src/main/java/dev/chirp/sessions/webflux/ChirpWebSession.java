package dev.chirp.sessions.webflux;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import org.springframework.web.server.WebSession;

/**
 * One exchange's chirp session seen through Spring's {@link WebSession}: its attributes are the
 * {@link Session} itself, so Spring code and chirp code share one map of JSON values.
 */
final class ChirpWebSession implements WebSession {

    private final SessionRequest request;
    private final WebFluxSessions sessions;
    private final Instant began = Instant.now();

    ChirpWebSession(SessionRequest request, WebFluxSessions sessions) {
        this.request = request;
        this.sessions = sessions;
    }

    Session session() {
        return request.session();
    }

    /**
     * The store's fingerprint of the session (a server-side store's hashed id), or the empty string for a
     * cookie session, which has no id: its whole state is the cookie.
     */
    /**
     * Runs {@code action} with {@link dev.chirp.sessions.Sessions#get()} bound to this session, on the
     * store scheduler when the store does I/O: for the core's thread-bound helpers (login, logout), which
     * finish before the binding is closed.
     */
    Mono<Session> bound(Supplier<Session> action) {
        return sessions.onStoreThread(() -> {
            try (SessionRequest.Binding ignored = request.bind()) {
                return action.get();
            }
        });
    }

    @Override
    public String getId() {
        return session().fingerprint().orElse("");
    }

    @Override
    public Map<String, Object> getAttributes() {
        return session();
    }

    /** Does nothing: a chirp session starts when a value is stored. */
    @Override
    public void start() {
    }

    /** Whether the session holds anything, that is whether the response keeps (or sends) a cookie. */
    @Override
    public boolean isStarted() {
        return !session().isEmpty();
    }

    /** Regenerates the session, keeping its values: a fresh cookie, and a new id in a server-side store. */
    @Override
    public Mono<Void> changeSessionId() {
        return sessions.onStoreThread(() -> {
            Session session = session();
            synchronized (session) {
                Map<String, Object> kept = new LinkedHashMap<>(session);
                session.regenerate();
                session.putAll(kept);
            }
            return null;
        }).then();
    }

    /** Ends the session: it is emptied and regenerated, so the response deletes the cookie. */
    @Override
    public Mono<Void> invalidate() {
        return sessions.onStoreThread(() -> session().regenerate()).then();
    }

    /** Does nothing: the session is saved as the response commits, once. */
    @Override
    public Mono<Void> save() {
        return Mono.empty();
    }

    /** Never: an expired or timed-out cookie gives an empty session instead. */
    @Override
    public boolean isExpired() {
        return false;
    }

    /** When the session was created if timeouts are configured and it was saved before, else this exchange's start. */
    @Override
    public Instant getCreationTime() {
        return session().createdAt().orElse(began);
    }

    @Override
    public Instant getLastAccessTime() {
        return began;
    }

    /**
     * Refused: the lifetime of a chirp session is configuration ({@code maxAge}, {@code idleTimeout}), the
     * same for every session, and signed into the cookie.
     */
    @Override
    public void setMaxIdleTime(Duration maxIdleTime) {
        throw new UnsupportedOperationException("a chirp session's idle time must be configured, not set per "
                + "session: " + maxIdleTime + " was set; use SessionConfig.Builder.idleTimeout(...) "
                + "(chirp.sessions.idle-timeout in Spring Boot)");
    }

    /** The configured idle timeout, else the cookie's maximum age. */
    @Override
    public Duration getMaxIdleTime() {
        return sessions.middleware().config().idleTimeout().orElse(sessions.middleware().config().maxAge());
    }

    @Override
    public String toString() {
        // Nothing that loads the session: toString() may run in a log call on an event loop.
        return "ChirpWebSession[" + sessions.middleware().config().cookieName() + "]";
    }
}
