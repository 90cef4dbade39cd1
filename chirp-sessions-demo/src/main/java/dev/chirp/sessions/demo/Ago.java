package dev.chirp.sessions.demo;

import java.time.Duration;
import java.time.Instant;

/** Times as people say them on a device list: "just now", "5 minutes ago", "yesterday". */
final class Ago {

    private Ago() {
    }

    /** How long before {@code now} {@code then} was; a time in the future (clock skew) is "just now". */
    static String describe(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).getSeconds());
        if (seconds < 45) {
            return "just now";
        }
        long minutes = Math.round(seconds / 60.0);
        if (minutes < 45) {
            return minutes <= 1 ? "a minute ago" : minutes + " minutes ago";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours < 22) {
            return hours <= 1 ? "an hour ago" : hours + " hours ago";
        }
        long days = Math.round(seconds / 86400.0);
        return days <= 1 ? "yesterday" : days + " days ago";
    }
}
