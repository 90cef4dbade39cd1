package dev.chirp.sessions;

import java.util.List;
import java.util.Objects;

/**
 * One bounded page of a user's sessions, as {@link UserSessionRegistry#sessionsOf} returns it: the most
 * recently seen sessions first, and how many the user has in all.
 *
 * @param sessions at most the requested number of sessions, most recently seen first
 * @param total    how many live sessions the user has, counting those not on this page
 */
public record UserSessionPage(List<UserSession> sessions, int total) {

    /**
     * Creates the page.
     *
     * @throws NullPointerException     if {@code sessions} is null
     * @throws IllegalArgumentException if {@code total} is smaller than the page
     */
    public UserSessionPage {
        sessions = List.copyOf(Objects.requireNonNull(sessions, "sessions"));
        if (total < sessions.size()) {
            throw new IllegalArgumentException("total must be at least the page's size (" + sessions.size()
                    + "): " + total);
        }
    }
}
