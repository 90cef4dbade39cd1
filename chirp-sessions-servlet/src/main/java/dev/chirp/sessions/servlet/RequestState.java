package dev.chirp.sessions.servlet;

import dev.chirp.sessions.SessionRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the filter knows about one request across all its dispatches (REQUEST, ASYNC, ERROR):
 * kept in a request attribute so that every dispatch, and async code on other threads, sees the same
 * session and the same record of what was written.
 *
 * <p>The session headers are produced once ({@link SessionRequest#commit} runs once) and kept, because
 * {@code response.reset()} wipes them and they must be written again before the response commits.
 * Methods are synchronized: async code may write the response from another thread.
 */
final class RequestState implements AsyncListener {

    private static final System.Logger LOG = System.getLogger("dev.chirp.sessions.servlet");

    private final SessionRequest session;
    private final AtomicBoolean finished = new AtomicBoolean();

    /** The headers {@link SessionRequest#commit} produced; null until it ran. */
    private List<String[]> headers;
    /** Whether {@link #headers} are on the response now; false again after a reset. */
    private boolean applied;
    /** The request failed: write nothing from now on. */
    private boolean closed;
    /** Writing the headers failed (too large, store down); every later commit point rethrows it. */
    private RuntimeException failure;
    /** Body bytes written since the last reset, counted high for characters. */
    private long written;
    /** The declared Content-Length, or -1. */
    private long declaredLength = -1;

    RequestState(SessionRequest session) {
        this.session = session;
    }

    SessionRequest session() {
        return session;
    }

    /**
     * Writes the session headers to {@code response}, which is about to commit: on the first call the
     * core decides them, later calls write them again only if a reset wiped them.
     *
     * @throws RuntimeException what {@link SessionRequest#commit} threw (too large, store failure), again
     *                          on every call until the filter has seen the request fail; the response
     *                          was reset first, so nothing of the failed response is sent
     */
    synchronized void beforeCommit(HttpServletResponse response) {
        if (closed || applied) {
            return;
        }
        if (failure != null) {
            if (!response.isCommitted()) {
                response.reset(); // what a handler wrote after catching the failure must not go out either
            }
            throw failure;
        }
        if (headers == null) {
            if (session.isCommitted()) {
                applied = true;
                return;
            }
            List<String[]> produced = new ArrayList<>(2);
            try {
                session.commit((name, value) -> produced.add(new String[] {name, value}));
            } catch (RuntimeException e) {
                failure = e;
                if (!response.isCommitted()) {
                    // Drop what the handler buffered: this response must fail (500), not go out
                    // as a success that silently lost its session.
                    response.reset();
                }
                throw e;
            }
            headers = produced;
            if (response.isCommitted() && produced.stream().anyMatch(h -> h[0].equals("Set-Cookie"))) {
                // Committed by a path the filter cannot see (a container's own completion, a forward
                // on an unmapped dispatcher type, an unwrapped response): say so rather than lose it.
                LOG.log(Level.WARNING, "chirp-sessions: the response was committed before the session "
                        + "cookie could be written, so the session change is lost. Write through the "
                        + "response the filter passed on, and map the filter for the REQUEST, FORWARD, "
                        + "ASYNC and ERROR dispatcher types.");
            }
        }
        for (String[] header : headers) {
            // addHeader, never setHeader: other Set-Cookie headers of the application must survive.
            response.addHeader(header[0], header[1]);
        }
        applied = true;
    }

    /**
     * Adds back session headers the container removed: after {@code sendError}, Jetty 12 strips the
     * "content" headers, {@code Vary} among them, before it renders the error page (it marks that page
     * {@code no-store}); Tomcat keeps them. Called after {@code sendError} and at the end of an ERROR
     * dispatch, where added headers still go out.
     */
    synchronized void restoreRemovedHeaders(HttpServletResponse response) {
        if (closed || !applied || headers == null) {
            return;
        }
        for (String[] header : headers) {
            if (!response.getHeaders(header[0]).contains(header[1])) {
                response.addHeader(header[0], header[1]);
            }
        }
    }

    /**
     * Called before {@code bytes} more body bytes are written: writes the session headers first if these
     * bytes may commit the response (buffer full, declared Content-Length reached).
     */
    synchronized void beforeWrite(HttpServletResponse response, long bytes) {
        if (applied || closed) {
            return;
        }
        long total = written + bytes;
        written = total;
        int buffer = response.getBufferSize();
        // Jetty writes (and so commits) any single write larger than its aggregation size, a quarter
        // of the buffer by default, at once; Tomcat commits when the buffer overflows.
        boolean mayCommit = total >= buffer || bytes >= buffer / 4
                || (declaredLength >= 0 && total >= declaredLength);
        if (mayCommit) {
            beforeCommit(response);
        }
    }

    synchronized void declaredLength(long length) {
        declaredLength = length;
    }

    /** {@code response.reset()} ran: the headers are gone and must be written again. */
    synchronized void onReset() {
        written = 0;
        declaredLength = -1;
        if (headers != null && !closed) {
            applied = false;
        }
    }

    /** {@code response.resetBuffer()} ran: the buffered body is gone, headers stay. */
    synchronized void onResetBuffer() {
        written = 0;
    }

    /**
     * The request failed (the handler threw, or async processing timed out or failed): nothing is
     * saved unless the headers were already written because the response was about to commit.
     */
    synchronized void fail() {
        if (headers == null) {
            session.discard();
        }
        failure = null;
        closed = true;
    }

    /** The response is complete: reports changes that can no longer reach the browser. Runs once. */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (!session.isCommitted() && session.isAccessed() && session.session().isChanged()) {
            LOG.log(Level.WARNING, "chirp-sessions: the response completed without passing the session "
                    + "filter, so the changed session was not saved. Complete async requests through the "
                    + "AsyncContext of the request the filter passed on, and map the filter for REQUEST, "
                    + "ASYNC and ERROR dispatches of every path the request is dispatched to.");
        }
        session.discard();
        session.finish();
    }

    // --- AsyncListener: registered on every AsyncContext started through the filter's request ---

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        fail();
    }

    @Override
    public void onError(AsyncEvent event) {
        fail();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // The filter's request wrapper registers this listener again on every startAsync.
    }
}
