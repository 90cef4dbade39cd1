package dev.chirp.sessions.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The response the filter passes on: it writes the session headers just before every call that can
 * commit the response, and again after {@link #reset()} wiped them.
 */
final class SessionResponse extends HttpServletResponseWrapper {

    private final RequestState state;
    private final HttpServletResponse response;

    /** Read without the lock: two threads racing to create it both get a working stream. */
    private volatile CommitAwareOutputStream stream;
    private PrintWriter writer;
    private PrintWriter writerDelegate;

    SessionResponse(HttpServletResponse response, RequestState state) {
        super(response);
        this.response = response;
        this.state = state;
    }

    RequestState state() {
        return state;
    }

    /** Writes the session headers now unless they are already on the response. */
    void beforeCommit() {
        state.beforeCommit(response);
    }

    /** Adds back session headers the container removed while handling {@code sendError}. */
    void restoreRemovedHeaders() {
        state.restoreRemovedHeaders(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream delegate = response.getOutputStream();
        CommitAwareOutputStream current = stream;
        if (current == null || current.delegate() != delegate) {
            current = new CommitAwareOutputStream(delegate, state, response);
            stream = current;
        }
        return current;
    }

    @Override
    public synchronized PrintWriter getWriter() throws IOException {
        PrintWriter delegate = response.getWriter();
        if (writer == null || writerDelegate != delegate) {
            writer = CommitAwareWriter.printWriter(delegate, state, response, response.getCharacterEncoding());
            writerDelegate = delegate;
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        state.beforeCommit(response);
        response.flushBuffer();
    }

    @Override
    public void reset() {
        response.reset();
        stream = null;
        synchronized (this) {
            writer = null;
        }
        state.onReset();
    }

    @Override
    public void resetBuffer() {
        response.resetBuffer();
        state.onResetBuffer();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        // The error page runs on an ERROR dispatch that brings the bare request.
        state.publish();
        state.beforeCommit(response);
        response.sendError(sc, msg);
        state.restoreRemovedHeaders(response);
    }

    @Override
    public void sendError(int sc) throws IOException {
        // The error page runs on an ERROR dispatch that brings the bare request.
        state.publish();
        state.beforeCommit(response);
        response.sendError(sc);
        state.restoreRemovedHeaders(response);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        state.beforeCommit(response);
        response.sendRedirect(location);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        sendRedirect(location, SC_FOUND, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        sendRedirect(location, sc, true);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        state.beforeCommit(response);
        if (sc == SC_FOUND && clearBuffer) {
            response.sendRedirect(location); // the same, and present on Servlet 6.0 containers too
            return;
        }
        try {
            response.sendRedirect(location, sc, clearBuffer);
        } catch (AbstractMethodError servlet60) {
            // A Servlet 6.0 container (Jetty 12 ee10) lacks this Servlet 6.1 method, which the other
            // new overloads call: do what it specifies instead of failing the request.
            if (clearBuffer) {
                response.resetBuffer();
            }
            response.setStatus(sc);
            response.setHeader("Location", location);
            response.flushBuffer();
        }
    }

    // Content-Length: declared after the body was written, it can complete the response at once (Tomcat
    // then drops every later header), so the session headers go first. Before delegating, always.

    @Override
    public void setContentLength(int len) {
        state.beforeDeclaredLength(response, len);
        response.setContentLength(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        state.beforeDeclaredLength(response, len);
        response.setContentLengthLong(len);
    }

    @Override
    public void setHeader(String name, String value) {
        contentLengthHeader(name, value);
        response.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        contentLengthHeader(name, value);
        response.addHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        contentLengthHeader(name, Integer.toString(value));
        response.setIntHeader(name, value);
    }

    @Override
    public void addIntHeader(String name, int value) {
        contentLengthHeader(name, Integer.toString(value));
        response.addIntHeader(name, value);
    }

    private void contentLengthHeader(String name, String value) {
        if ("Content-Length".equalsIgnoreCase(name)) {
            long length;
            try {
                length = value == null ? -1 : Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            state.beforeDeclaredLength(response, length);
        }
    }
}
