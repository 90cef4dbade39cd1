package dev.chirp.sessions.servlet;

import dev.chirp.sessions.SessionRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.System.Logger.Level;

/**
 * The container's {@link AsyncContext}, writing the session headers on {@link #complete()} (so they
 * carry what the async work put into the session) and binding {@code Sessions.get()} in tasks run by
 * {@link #start(Runnable)}.
 */
final class SessionAsyncContext implements AsyncContext {

    private static final System.Logger LOG = System.getLogger("dev.chirp.sessions.servlet");

    private final AsyncContext delegate;
    private final RequestState state;
    private final SessionResponse response;

    SessionAsyncContext(AsyncContext delegate, RequestState state, SessionResponse response) {
        this.delegate = delegate;
        this.state = state;
        this.response = response;
    }

    AsyncContext delegate() {
        return delegate;
    }

    @Override
    public void complete() {
        try {
            response.beforeCommit();
        } catch (RuntimeException e) {
            // complete() must complete: a request left hanging until its timeout is worse. The response
            // was reset; it goes out as a 500 without a cookie.
            LOG.log(Level.ERROR, "chirp-sessions: could not write the session cookie of an async request; "
                    + "responding 500", e);
            state.fail();
            HttpServletResponse raw = (HttpServletResponse) response.getResponse();
            if (!raw.isCommitted()) {
                raw.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
        }
        delegate.complete();
    }

    @Override
    public void start(Runnable run) {
        SessionRequest session = state.session();
        delegate.start(() -> {
            try (SessionRequest.Binding ignored = session.bind()) {
                run.run();
            }
        });
    }

    @Override
    public ServletRequest getRequest() {
        return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
        return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
        delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
        delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        delegate.dispatch(context, path);
    }

    @Override
    public void addListener(AsyncListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
        delegate.addListener(listener, request, response);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
        return delegate.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
        delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
        return delegate.getTimeout();
    }
}
