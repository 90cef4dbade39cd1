package dev.chirp.sessions.demo;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.redis.RedisSessionStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /account}: the logged-in user's sessions (with Redis; "this device" marked) and the two
 * revocation buttons; {@code POST /logout/others} and {@code POST /logout/everywhere} carry them out.
 * With Redis they use the store's per-user index; with the cookie store they bump the user's session
 * version, which ends every cookie that carries the old one.
 */
final class AccountServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String OTHERS = "/logout/others";
    static final String EVERYWHERE = "/logout/everywhere";

    private final transient RedisSessionStore redis;
    private final transient UserVersions versions;

    /** The Redis store, or else the cookie store's version table (or neither: revocation off). */
    AccountServlet(RedisSessionStore redis, UserVersions versions) {
        this.redis = redis;
        this.versions = versions;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Session session = Sessions.get();
        Optional<Object> user = Sessions.userId();
        if (user.isEmpty()) {
            Sessions.flash("info", "Log in to see your account.");
            Html.seeOther(response, "/");
            return;
        }
        StringBuilder body = new StringBuilder(Flashes.html());
        body.append("<p>Logged in as <strong>").append(Html.escape(user.get())).append("</strong>.</p>\n");
        if (redis != null) {
            String current = session.fingerprint().orElse("");
            List<UserSession> sessions = redis.sessionsOf(user.get());
            body.append("<h2>Your sessions</h2>\n<table><tr><th>session</th><th>logged in</th><th>last seen</th>"
                    + "<th></th></tr>\n");
            for (UserSession s : sessions) {
                body.append("<tr><td><code>").append(Html.escape(s.fingerprint())).append("</code></td><td>")
                        .append(time(s.created())).append("</td><td>").append(time(s.lastSeen())).append("</td><td>")
                        .append(s.fingerprint().equals(current) ? "<strong>this device</strong>" : "")
                        .append("</td></tr>\n");
            }
            body.append("</table>\n");
        } else if (versions == null) {
            body.append("<p>This server runs without session versions, so other sessions cannot be ended.</p>\n");
            Html.send(response, HttpServletResponse.SC_OK, "Account", body.toString());
            return;
        } else {
            body.append("<p>Sessions live in signed cookies, so the server cannot list them. Your session version "
                    + "is <code>").append(Html.escape(versions.currentVersion(String.valueOf(user.get())).orElse("")))
                    .append("</code>: logging out elsewhere moves it on, which ends every cookie that carries an "
                    + "older one.</p>\n");
        }
        body.append("<form method=\"post\" action=\"").append(OTHERS).append("\">").append(Csrf.formField())
                .append("<button>Log out other sessions</button></form>\n")
                .append("<form method=\"post\" action=\"").append(EVERYWHERE).append("\">").append(Csrf.formField())
                .append("<button>Log out everywhere</button></form>\n");
        Html.send(response, HttpServletResponse.SC_OK, "Account", body.toString());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        Session session = Sessions.get();
        Optional<Object> user = Sessions.userId();
        if (user.isEmpty()) {
            Html.seeOther(response, "/");
            return;
        }
        String userId = String.valueOf(user.get());
        if (redis == null && versions == null) {
            Html.seeOther(response, "/account");
            return;
        }
        if (OTHERS.equals(request.getServletPath())) {
            if (redis != null) {
                int ended = redis.revokeAllExcept(user.get(), session.fingerprint().orElse(null));
                Sessions.flash("info", "Logged out " + ended + " other session" + (ended == 1 ? "" : "s") + ".");
            } else {
                // This browser logs in again under the new version; every other cookie keeps the old one.
                Sessions.login(user.get(), versions.bump(userId));
                Sessions.flash("info", "Logged out every other session.");
            }
            Html.seeOther(response, "/account");
            return;
        }
        String ended;
        if (redis != null) {
            int count = redis.revokeAll(user.get());
            ended = count + " session" + (count == 1 ? "" : "s");
        } else {
            versions.bump(userId);
            ended = "every session";
        }
        Sessions.logout();
        Sessions.flash("info", "Logged out everywhere (" + ended + ").");
        Html.seeOther(response, "/");
    }

    private static String time(Instant instant) {
        return Html.escape(instant.truncatedTo(ChronoUnit.SECONDS).toString());
    }
}
