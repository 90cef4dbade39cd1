package dev.chirp.sessions;

/**
 * Receives {@link SessionEvent}s: what happened to sessions, for metrics, audit logs and alerts.
 * Registered with {@link SessionConfig.Builder#listener(SessionListener)}.
 *
 * <p>Called synchronously on the request thread while the session is locked, so it must be quick and
 * must not touch the session. An exception it throws does not fail the request: it is logged once at
 * {@code WARNING} (later ones at {@code DEBUG}) and the request goes on.
 */
@FunctionalInterface
public interface SessionListener {

    /** Called once per event; {@code event} is never {@code null}. */
    void onEvent(SessionEvent event);
}
