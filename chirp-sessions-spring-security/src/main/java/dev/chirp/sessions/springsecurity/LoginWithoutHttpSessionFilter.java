package dev.chirp.sessions.springsecurity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.filter.GenericFilterBean;

/**
 * Keeps a failed form login from creating an {@code HttpSession}. Spring Security's default failure handler
 * stores the exception in a session for the login page to show, creating one if needed (so every wrong
 * password would set a {@code JSESSIONID}); the handler cannot be reached from outside to switch that off
 * without replacing one the application chose. So, around the login filter only, a request without a
 * session gets one that lives for the request alone: the login page shows its generic error, and no session
 * reaches the container. Placed twice, before ({@code opening}) and after the login filter, which passes
 * the original request on to the rest of the chain.
 */
final class LoginWithoutHttpSessionFilter extends GenericFilterBean {

    private final boolean opening;

    LoginWithoutHttpSessionFilter(boolean opening) {
        this.opening = opening;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (opening && request instanceof HttpServletRequest http) {
            chain.doFilter(new Request(http), response);
        } else if (!opening && request instanceof Request wrapped) {
            chain.doFilter(wrapped.getRequest(), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static final class Request extends HttpServletRequestWrapper {
        private HttpSession requestScoped;

        Request(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }

        @Override
        public HttpSession getSession(boolean create) {
            HttpSession existing = super.getSession(false);
            if (existing != null) {
                return existing;
            }
            if (requestScoped == null && create) {
                requestScoped = new RequestScopedSession(getServletContext());
            }
            return requestScoped;
        }
    }

    /** An HttpSession that no cookie names and nothing stores: it ends with the request. */
    private static final class RequestScopedSession implements HttpSession {
        private final Map<String, Object> attributes = new HashMap<>();
        private final String id = UUID.randomUUID().toString();
        private final long created = System.currentTimeMillis();
        private final ServletContext context;
        private int maxInactiveInterval;

        RequestScopedSession(ServletContext context) {
            this.context = context;
        }

        @Override
        public long getCreationTime() {
            return created;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public long getLastAccessedTime() {
            return created;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public void setMaxInactiveInterval(int interval) {
            maxInactiveInterval = interval;
        }

        @Override
        public int getMaxInactiveInterval() {
            return maxInactiveInterval;
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.enumeration(attributes.keySet());
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public void invalidate() {
            attributes.clear();
        }

        @Override
        public boolean isNew() {
            return true;
        }
    }
}
