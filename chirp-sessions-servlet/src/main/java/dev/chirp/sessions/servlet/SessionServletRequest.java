package dev.chirp.sessions.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * The request the filter passes on: async processing started on it runs through an
 * {@link AsyncContext} that writes the session headers on {@code complete()}, and its ASYNC dispatches
 * carry the filter's response wrapper. Its request dispatchers note forwards, so that a cookie lost at
 * the end of a forward the filter is not mapped for is reported with the right advice.
 */
final class SessionServletRequest extends HttpServletRequestWrapper {

    private final RequestState state;
    private final SessionResponse response;
    private volatile SessionAsyncContext asyncContext;
    private volatile boolean asyncStarted;

    SessionServletRequest(HttpServletRequest request, RequestState state, SessionResponse response) {
        super(request);
        this.state = state;
        this.response = response;
    }

    RequestState state() {
        return state;
    }

    /** Starts a dispatch: the container may pass this wrapper again on an ASYNC dispatch. */
    void beginDispatch() {
        if (asyncStarted) { // a volatile read is cheaper than a write on a fresh wrapper
            asyncStarted = false;
        }
    }

    /** Whether async processing was started through this wrapper during the current dispatch. */
    boolean asyncStartedHere() {
        return asyncStarted;
    }

    @Override
    public AsyncContext startAsync() {
        // Not the no-argument form: its AsyncContext would hand out the container's own response,
        // on which writes and complete() bypass the session headers.
        return startAsync(this, response);
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
        // Its ASYNC dispatch may bring the request passed here, which need not be this wrapper; async
        // code may call SessionFilter.session with it.
        state.publish();
        AsyncContext started = super.startAsync(request, servletResponse);
        started.addListener(state);
        asyncStarted = true;
        SessionAsyncContext wrapped = new SessionAsyncContext(started, state, response);
        asyncContext = wrapped;
        return wrapped;
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        RequestDispatcher dispatcher = super.getRequestDispatcher(path);
        return dispatcher == null ? null : new ForwardNotingDispatcher(dispatcher, state);
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext current = super.getAsyncContext();
        SessionAsyncContext wrapped = asyncContext;
        if (wrapped != null && wrapped.delegate() == current) {
            return wrapped;
        }
        wrapped = new SessionAsyncContext(current, state, response);
        asyncContext = wrapped;
        return wrapped;
    }

    /** The container's dispatcher, telling the request's state when a forward returned. */
    private static final class ForwardNotingDispatcher implements RequestDispatcher {

        private final RequestDispatcher delegate;
        private final RequestState state;

        ForwardNotingDispatcher(RequestDispatcher delegate, RequestState state) {
            this.delegate = delegate;
            this.state = state;
        }

        @Override
        public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
            // The forwarded request need not wrap the filter's (an application may unwrap it).
            state.publish();
            try {
                delegate.forward(request, response);
            } finally {
                state.forwardReturned();
            }
        }

        @Override
        public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
            delegate.include(request, response);
        }
    }
}
