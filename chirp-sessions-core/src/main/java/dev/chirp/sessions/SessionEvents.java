package dev.chirp.sessions;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers events to the configured listeners, shielding the request from a listener that throws. Built
 * once per middleware; with no listener, {@link #enabled()} is false and callers skip building events.
 */
final class SessionEvents {

    private static final System.Logger LOG = System.getLogger("dev.chirp.sessions");

    private final List<SessionListener> listeners;
    private final AtomicBoolean[] warned;

    SessionEvents(List<SessionListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.warned = new AtomicBoolean[this.listeners.size()];
        for (int i = 0; i < warned.length; i++) {
            warned[i] = new AtomicBoolean();
        }
    }

    boolean enabled() {
        return !listeners.isEmpty();
    }

    void emit(SessionEvent event) {
        for (int i = 0; i < listeners.size(); i++) {
            SessionListener listener = listeners.get(i);
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                // Metrics or audit code must never turn a working request into a failed one. Once per
                // listener at WARNING so a broken listener is noticed without flooding the log; the
                // event holds no session data, so naming it is safe.
                if (warned[i].compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "chirp-sessions: session listener " + listener.getClass().getName()
                            + " threw on " + event + "; the request goes on. Later failures of this listener "
                            + "are logged at DEBUG.", e);
                } else if (LOG.isLoggable(Level.DEBUG)) {
                    LOG.log(Level.DEBUG, "chirp-sessions: session listener " + listener.getClass().getName()
                            + " threw on " + event + ": " + e);
                }
            }
        }
    }
}
