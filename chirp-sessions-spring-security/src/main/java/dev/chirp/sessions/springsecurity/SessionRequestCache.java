package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * A {@link RequestCache} that remembers the page a visitor asked for before being sent to log in, in the
 * request's chirp session rather than an {@code HttpSession}, so the login can send them back there.
 *
 * <p>Only the address is kept (under {@value #SAVED_REQUEST_KEY}), as a path relative to the application
 * with its query: the visitor returns with a GET to it, never with a replayed body, and never to another
 * host, whatever {@code Host} header the first request carried. The address gets a {@code continue}
 * parameter, as Spring Security's own cache adds, so that only the return request reads the session here;
 * every other request passes through without verifying the cookie. By default only GET requests for pages
 * are remembered: not {@code XMLHttpRequest}s, not requests that accept JSON or event streams but not HTML,
 * not {@code favicon} requests and not {@code /error}.
 */
public final class SessionRequestCache implements RequestCache {

    /** The session key of the remembered address; its value is {@value}. */
    public static final String SAVED_REQUEST_KEY = "_saved_request";

    private static final String CONTINUE = "continue";

    private RequestMatcher requestMatcher = SessionRequestCache::isPageWorthReturningTo;

    /** Creates the cache; it holds no state of its own, one instance serves every request. */
    public SessionRequestCache() {
    }

    /**
     * Sets which requests are worth returning to; the default is every GET for a page (see the class
     * description).
     *
     * @param requestMatcher the requests to remember
     * @throws NullPointerException if {@code requestMatcher} is null
     */
    public void setRequestMatcher(RequestMatcher requestMatcher) {
        this.requestMatcher = Objects.requireNonNull(requestMatcher, "requestMatcher");
    }

    @Override
    public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
        if (!requestMatcher.matches(request)) {
            return;
        }
        String address = UrlUtils.buildRequestUrl(request);
        address += (request.getQueryString() == null ? "?" : "&") + CONTINUE;
        SessionFilter.session(request).put(SAVED_REQUEST_KEY, address);
    }

    @Override
    public SavedRequest getRequest(HttpServletRequest request, HttpServletResponse response) {
        Object address = SessionFilter.session(request).get(SAVED_REQUEST_KEY);
        if (!(address instanceof String text) || !text.startsWith("/") || text.startsWith("//")) {
            return null;
        }
        SimpleSavedRequest saved = new SimpleSavedRequest(text);
        saved.setMethod("GET");
        return saved;
    }

    @Override
    public HttpServletRequest getMatchingRequest(HttpServletRequest request, HttpServletResponse response) {
        // An error or forward dispatch keeps the query of the request it serves: only the visitor's own
        // request may consume the remembered address (and an error page may already have committed).
        if (request.getDispatcherType() != DispatcherType.REQUEST || !hasContinueParameter(request.getQueryString())) {
            return null;
        }
        Session session = SessionFilter.session(request);
        if (!UrlUtils.buildRequestUrl(request).equals(session.get(SAVED_REQUEST_KEY))) {
            return null;
        }
        session.remove(SAVED_REQUEST_KEY);
        return request;
    }

    @Override
    public void removeRequest(HttpServletRequest request, HttpServletResponse response) {
        SessionFilter.session(request).remove(SAVED_REQUEST_KEY);
    }

    /**
     * The default: a GET for a page. Browsers fetch {@code /favicon.ico} on their own right after the page
     * that sent them to log in, and scripts fetch data; remembering either would send the visitor to an
     * icon or a JSON document after login instead of the page they wanted.
     */
    private static boolean isPageWorthReturningTo(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) || "XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
            return false;
        }
        String path = UrlUtils.buildRequestUrl(request);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        if (path.contains("/favicon.") || path.equals("/error")) {
            return false;
        }
        String accept = request.getHeader("Accept");
        return accept == null || accept.contains("text/html") || !(accept.contains("application/json")
                || accept.contains("text/event-stream"));
    }

    private static boolean hasContinueParameter(String query) {
        if (query == null) {
            return false;
        }
        for (String parameter : query.split("&")) {
            if (parameter.equals(CONTINUE) || parameter.startsWith(CONTINUE + "=")) {
                return true;
            }
        }
        return false;
    }
}
