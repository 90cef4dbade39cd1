package dev.chirp.sessions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A one-time message for the user's next page ("Saved.", "Wrong password."), stored in the session by
 * {@link Sessions#flash(String, String)} and taken out by {@link Sessions#flashes()}: it survives exactly
 * one redirect.
 *
 * <p>In the session the messages live under {@value #SESSION_KEY} as a JSON list of
 * {@code [category, message]} pairs, the layout Flask's {@code flash()} uses, so a Python service that
 * shares the cookie shows the same messages.
 *
 * @param category what kind of message this is, for styling: Flask recommends {@code "message"},
 *                 {@code "info"}, {@code "warning"} and {@code "error"}; any string works
 * @param message  the text to show
 */
public record Flash(String category, String message) {

    /** The session key that holds the pending messages, as in Flask. */
    public static final String SESSION_KEY = "_flashes";

    /** The category {@link Sessions#flash(String)} uses, Flask's default. */
    public static final String DEFAULT_CATEGORY = "message";

    /**
     * Creates a flash message.
     *
     * @throws NullPointerException if {@code category} or {@code message} is null
     */
    public Flash {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Appends a message to {@code session}'s pending ones; a new list is stored, none is changed in place.
     * For code that holds the session itself (a WebFlux handler) instead of using {@link Sessions#flash}.
     *
     * @throws NullPointerException if {@code session} or {@code flash} is null
     */
    public static void add(Session session, Flash flash) {
        synchronized (session) {
            List<Object> pending = new ArrayList<>();
            if (session.get(SESSION_KEY) instanceof List<?> existing) {
                pending.addAll(existing);
            }
            pending.add(List.of(flash.category(), flash.message()));
            session.put(SESSION_KEY, pending);
        }
    }

    /**
     * Removes and returns {@code session}'s pending messages, oldest first. Entries that are not a pair of
     * strings (written by other code under the same key) are dropped rather than failing the page. For code
     * that holds the session itself (a WebFlux handler) instead of using {@link Sessions#flashes()}.
     *
     * @throws NullPointerException if {@code session} is null
     */
    public static List<Flash> takeAll(Session session) {
        synchronized (session) {
            if (!session.containsKey(SESSION_KEY)) {
                return List.of(); // reading nothing must not count as a change that writes a cookie
            }
            Object stored = session.remove(SESSION_KEY);
            if (!(stored instanceof List<?> entries)) {
                return List.of();
            }
            List<Flash> flashes = new ArrayList<>(entries.size());
            for (Object entry : entries) {
                Flash flash = parse(entry);
                if (flash != null) {
                    flashes.add(flash);
                }
            }
            return Collections.unmodifiableList(flashes);
        }
    }

    private static Flash parse(Object entry) {
        if (entry instanceof List<?> pair && pair.size() == 2
                && pair.get(0) instanceof String category && pair.get(1) instanceof String message) {
            return new Flash(category, message);
        }
        return null;
    }
}
