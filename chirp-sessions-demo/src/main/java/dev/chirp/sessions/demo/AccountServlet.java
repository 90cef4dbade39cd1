package dev.chirp.sessions.demo;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionPage;
import dev.chirp.sessions.UserSessionRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /account}: the logged-in user's devices (when the store keeps sessions on the server and
 * implements {@link UserSessionRegistry}; this device marked) and the two revocation buttons;
 * {@code POST /logout/others} and {@code POST /logout/everywhere} carry them out. With a registry they end
 * sessions through it; with the cookie store they bump the user's session version, which ends every cookie
 * that carries the old one.
 */
final class AccountServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String OTHERS = "/logout/others";
    static final String EVERYWHERE = "/logout/everywhere";
    /** The most devices one page lists; the total is shown beside it. */
    static final int PAGE = 20;

    private final transient UserSessionRegistry registry;
    private final transient UserVersions versions;
    private final transient Clock clock;

    /** The store's user-session registry, or else the cookie store's version table (or neither: revocation off). */
    AccountServlet(UserSessionRegistry registry, UserVersions versions, Clock clock) {
        this.registry = registry;
        this.versions = versions;
        this.clock = clock;
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
        body.append("<section class=\"panel\"><p>Logged in as <strong>").append(Html.escape(user.get()))
                .append("</strong>.</p></section>\n");
        if (registry != null) {
            body.append("<section class=\"panel\"><h2>Your devices</h2>\n");
            devices(body, registry.sessionsOf(user.get(), PAGE), session.fingerprint().orElse(""));
        } else if (versions == null) {
            body.append("<section class=\"panel\"><p>This server runs without session versions, so other "
                    + "sessions cannot be ended.</p></section>\n");
            Html.send(response, HttpServletResponse.SC_OK, "Account", body.toString());
            return;
        } else {
            body.append("<section class=\"panel\"><h2>Your devices</h2>\n<p>Sessions live in signed cookies, so "
                    + "the server cannot list them. Your session version is <code>")
                    .append(Html.escape(versions.currentVersion(String.valueOf(user.get())).orElse("")))
                    .append("</code>: logging out elsewhere moves it on, which ends every cookie that carries an "
                    + "older one.</p>\n");
        }
        body.append("<div class=\"actions\"><form method=\"post\" action=\"").append(OTHERS).append("\">")
                .append(Csrf.formField()).append("<button class=\"quiet\">Log out other devices</button></form>")
                .append("<form method=\"post\" action=\"").append(EVERYWHERE).append("\">").append(Csrf.formField())
                .append("<button class=\"danger\">Log out everywhere</button></form></div></section>\n");
        Html.send(response, HttpServletResponse.SC_OK, "Account", body.toString());
    }

    private void devices(StringBuilder body, UserSessionPage page, String current) {
        Instant now = clock.instant();
        body.append("<ul class=\"devices\">\n");
        // This device first, then the others as the store lists them (most recently active first).
        List<UserSession> devices = new ArrayList<>(page.sessions());
        devices.sort(Comparator.comparing((UserSession d) -> !d.fingerprint().equals(current)));
        for (UserSession device : devices) {
            boolean here = device.fingerprint().equals(current);
            body.append("<li class=\"device").append(here ? " this" : "").append("\">")
                    .append("<span class=\"icon\" aria-hidden=\"true\"></span><div><div>Session <code>")
                    .append(Html.escape(shortFingerprint(device.fingerprint()))).append("</code></div>")
                    .append("<div class=\"when\">Signed in ").append(time(device.created(), now))
                    .append(" &middot; last active ").append(time(device.lastSeen(), now)).append("</div></div>")
                    .append(here ? "<span class=\"current\">This device</span>" : "<span></span>")
                    .append("</li>\n");
        }
        body.append("</ul>\n");
        if (page.total() > page.sessions().size()) {
            body.append("<p class=\"muted\">The ").append(page.sessions().size()).append(" most recently active of ")
                    .append(page.total()).append(" sessions.</p>\n");
        }
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
        if (registry == null && versions == null) {
            Html.seeOther(response, "/account");
            return;
        }
        if (OTHERS.equals(request.getServletPath())) {
            if (registry != null) {
                int ended = registry.revokeAllExcept(user.get(), session.fingerprint().orElse(null));
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
        if (registry != null) {
            int count = registry.revokeAll(user.get());
            ended = count + " session" + (count == 1 ? "" : "s");
        } else {
            versions.bump(userId);
            ended = "every session";
        }
        Sessions.logout();
        Sessions.flash("info", "Logged out everywhere (" + ended + ").");
        Html.seeOther(response, "/");
    }

    /** A relative time, with the exact one in a tooltip and for machines. */
    private static String time(Instant instant, Instant now) {
        String exact = Html.escape(instant.truncatedTo(ChronoUnit.SECONDS).toString());
        return "<time datetime=\"" + exact + "\" title=\"" + exact + "\">" + Ago.describe(instant, now) + "</time>";
    }

    // Enough to tell one's devices apart; the fingerprint is not a secret, but the full one is noise here.
    private static String shortFingerprint(String fingerprint) {
        return fingerprint.length() <= 8 ? fingerprint : fingerprint.substring(0, 8);
    }
}
