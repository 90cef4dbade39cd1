package dev.chirp.sessions.demo;

import dev.chirp.sessions.Flash;
import dev.chirp.sessions.Sessions;

/** Renders the session's pending flash messages (taking them out, so they show once). */
final class Flashes {

    private Flashes() {
    }

    static String html() {
        StringBuilder out = new StringBuilder();
        for (Flash flash : Sessions.flashes()) {
            out.append("<p class=\"flash ").append(Html.escape(flash.category())).append("\">")
                    .append(Html.escape(flash.message())).append("</p>\n");
        }
        return out.toString();
    }
}
