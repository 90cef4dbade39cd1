package dev.chirp.sessions.servlet;

import dev.chirp.sessions.SessionRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Everything the filter knows about one request across all its dispatches (REQUEST, FORWARD, ASYNC,
 * ERROR), so that every dispatch, and async code on other threads, sees the same session and the same
 * record of what was written.
 *
 * <p>Later dispatches find it through the filter's request wrapper, which the container passes again
 * on ASYNC dispatches and forwards. A dispatch that may come with the container's bare request (an
 * error page after {@code sendError} or an exception, an async dispatch of a context started on
 * another request) can only find it in a request attribute: {@link #publish()} sets that attribute
 * just before such a dispatch becomes possible, never on the common path, because the first
 * {@code setAttribute} of a request costs Jetty a map per request.
 *
 * <p>The session headers are produced once ({@link SessionRequest#commit} runs once) and kept, because
 * {@code response.reset()} wipes them and they must be written again before the response commits.
 * Methods that change the record are synchronized: async code may write the response from another
 * thread. Once the headers are on the response, commit points only read one volatile flag.
 */
final class RequestState implements AsyncListener, BiConsumer<String, String> {

    private static final System.Logger LOG = System.getLogger("dev.chirp.sessions.servlet");

    /** The request attribute {@link #publish()} sets, for dispatches that bring the bare request. */
    static final String ATTRIBUTE = SessionFilter.class.getName() + ".state";

    private static final VarHandle FINISHED;

    static {
        try {
            FINISHED = MethodHandles.lookup().findVarHandle(RequestState.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Jetty's default output aggregation size in bytes, the most a single write may have without being
     * counted as committing (see {@link #beforeWrite}).
     */
    static final int AGGREGATION_FLOOR = 8192;

    private final SessionRequest session;
    /** The request the filter first saw, where {@link #publish()} sets the attribute. */
    private final ServletRequest request;
    /** {@link #finish} ran; set once through {@link #FINISHED} (a field, not an AtomicBoolean per request). */
    @SuppressWarnings("unused")
    private volatile boolean finished;
    /** The attribute is set. */
    private volatile boolean published;
    /**
     * Commit points have nothing to do until a reset or an ERROR dispatch: the headers are on the
     * response, or the request failed. Read without the lock, so that the commit points after the first
     * (the end of the dispatch, flushes, further writes) cost one volatile read.
     */
    private volatile boolean settled;

    /**
     * The headers {@link SessionRequest#commit} produced, as name, value, name, value...; null until it
     * ran. Filled through {@link #accept} (no list, no lambda, no pair arrays).
     */
    private String[] headers;
    /** Strings used in {@link #headers}. */
    private int headerStrings;
    /** {@link SessionRequest#commit} ran (or the session was already committed): {@link #headers} are final. */
    private boolean produced;
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
    /** The response was already committed when the filter first saw the request. */
    private boolean committedOnArrival;
    /** A forward through the filter's request returned, and whether the filter ran on its FORWARD dispatch. */
    private boolean forwarded;
    private boolean forwardDispatchSeen;
    /** An ERROR dispatch (an error page) runs or ran: the container may have stripped our headers. */
    private boolean errorDispatch;
    /** Size of a write that was let through without the headers and committed the response; 0 if none. */
    private long committingWrite;

    RequestState(SessionRequest session, ServletRequest request) {
        this.session = session;
        this.request = request;
    }

    SessionRequest session() {
        return session;
    }

    /** The state published on {@code request} by {@link #publish()}, or null. */
    static RequestState published(ServletRequest request) {
        Object state = request.getAttribute(ATTRIBUTE);
        return state instanceof RequestState ? (RequestState) state : null;
    }

    /**
     * Sets the request attribute through which a later dispatch that brings the container's bare
     * request finds this state: call it just before such a dispatch becomes possible (async processing
     * starts, {@code sendError}, the handler throws, a forward). Idempotent.
     */
    void publish() {
        if (!published) {
            published = true;
            request.setAttribute(ATTRIBUTE, this);
        }
    }

    /** Collects one header from {@link SessionRequest#commit}; not for other callers. */
    @Override
    public void accept(String name, String value) {
        String[] all = headers;
        if (all == null) {
            all = new String[4]; // Vary and at most one Set-Cookie (or token header)
        } else if (headerStrings + 2 > all.length) {
            all = Arrays.copyOf(all, all.length * 2);
        }
        all[headerStrings++] = name;
        all[headerStrings++] = value;
        headers = all;
    }

    /**
     * Writes the session headers to {@code response}, which is about to commit: on the first call the
     * core decides them, later calls write them again only if a reset wiped them.
     *
     * @throws RuntimeException what {@link SessionRequest#commit} threw (too large, store failure), again
     *                          on every call until the filter has seen the request fail; the response
     *                          was reset first, so nothing of the failed response is sent
     */
    void beforeCommit(HttpServletResponse response) {
        if (settled) {
            return;
        }
        beforeCommitLocked(response);
    }

    private synchronized void beforeCommitLocked(HttpServletResponse response) {
        if (closed) {
            return;
        }
        if (applied) {
            if (errorDispatch) {
                // Restored when the ERROR dispatch began; again here in case they went missing since
                // (an error page that flushes, as Spring MVC's JSON error page does).
                restoreRemovedHeaders(response);
            }
            return;
        }
        if (failure != null) {
            if (!response.isCommitted()) {
                response.reset(); // what a handler wrote after catching the failure must not go out either
            }
            throw failure;
        }
        if (!produced) {
            if (session.isCommitted()) {
                produced = true;
                applied();
                return;
            }
            produced = true;
            try {
                session.commit(this);
            } catch (RuntimeException e) {
                produced = false;
                headers = null;
                headerStrings = 0;
                failure = e;
                if (!response.isCommitted()) {
                    // Drop what the handler buffered: this response must fail (500), not go out
                    // as a success that silently lost its session.
                    response.reset();
                }
                throw e;
            }
            if (response.isCommitted() && hasSessionToken()) {
                // Committed by a path the filter cannot see (a container's own completion, a forward
                // on an unmapped dispatcher type, an unwrapped response): say so rather than lose it.
                LOG.log(Level.WARNING, "chirp-sessions: the response was committed before the session "
                        + "cookie could be written, so the session change is lost. " + lossAdvice(response));
            }
        }
        for (int i = 0; i < headerStrings; i += 2) {
            // addHeader, never setHeader: other Set-Cookie headers of the application must survive.
            response.addHeader(headers[i], headers[i + 1]);
        }
        applied();
    }

    /** The headers are on the response (or there are none): commit points are quiet unless on an error page. */
    private void applied() {
        applied = true;
        settled = !errorDispatch;
    }

    /** Whether the headers carry the session ({@code Set-Cookie}, or the header transport's token). */
    private boolean hasSessionToken() {
        for (int i = 0; i < headerStrings; i += 2) {
            if (!headers[i].equals("Vary")) {
                return true;
            }
        }
        return false;
    }

    /** An ERROR dispatch starts: from now on every commit point restores headers the container removed. */
    synchronized void errorDispatchBegins() {
        errorDispatch = true;
        if (!closed) {
            settled = false;
        }
    }

    /**
     * Adds back session headers the container removed: after {@code sendError}, Jetty 12 strips the
     * "content" headers, {@code Vary} among them, before it renders the error page (it marks that page
     * {@code no-store}); Tomcat keeps them. Called after {@code sendError}, when an ERROR dispatch
     * begins, at its flush and close commit points (in case the error page lost them again) and at its
     * end, where added headers still go out.
     */
    synchronized void restoreRemovedHeaders(HttpServletResponse response) {
        if (closed || !applied || headers == null) {
            return;
        }
        for (int i = 0; i < headerStrings; i += 2) {
            if (!response.getHeaders(headers[i]).contains(headers[i + 1])) {
                response.addHeader(headers[i], headers[i + 1]);
            }
        }
    }

    /**
     * Called before {@code bytes} more body bytes are written: writes the session headers first if these
     * bytes may commit the response.
     *
     * <p>A write may commit when the body reaches the buffer size or the declared
     * {@code Content-Length}, or when it is a single write of at least
     * {@code min(getBufferSize() / 4, 8192)} bytes. The last rule is for Jetty, which sends a write
     * larger than its <em>output aggregation size</em> at once instead of buffering it. That size is
     * Jetty's {@code HttpConfiguration.outputAggregationSize}, which the Servlet API does not expose: it
     * is a quarter of the output buffer by default, 8192 in the {@code jetty.xml} of Jetty's
     * distribution whatever the buffer size, and the whole buffer after {@code setBufferSize}. The
     * assumption is that a deployment does not set it below {@code min(bufferSize / 4, 8192)}; if one
     * does, the commit is detected after the write, the session is frozen at once and the loss is
     * logged with this cause. Tomcat commits only when its buffer overflows, so there the rule only
     * writes the headers early, which costs nothing but freezing the session a little sooner.
     *
     * @return whether the write goes ahead without the session headers: then call
     *         {@link #afterWrite} once it returned
     */
    boolean beforeWrite(HttpServletResponse response, long bytes) {
        if (settled) {
            return false;
        }
        return beforeWriteLocked(response, bytes);
    }

    private synchronized boolean beforeWriteLocked(HttpServletResponse response, long bytes) {
        if (applied || closed) {
            return false;
        }
        long total = written + bytes;
        written = total;
        int buffer = response.getBufferSize();
        boolean mayCommit = total >= buffer || bytes >= Math.min(buffer / 4, AGGREGATION_FLOOR)
                || (declaredLength >= 0 && total >= declaredLength);
        if (mayCommit || response.isCommitted()) {
            // Already committed: by a path around the filter; freeze the session now and report it.
            beforeCommitLocked(response);
            return false;
        }
        return true;
    }

    /**
     * Called after a write that {@link #beforeWrite} let through without the session headers: if that
     * write committed the response after all (a container that sends smaller writes at once than
     * assumed), freezes the session now, so that later changes are refused rather than lost, and logs
     * the loss with its cause.
     */
    void afterWrite(HttpServletResponse response, long bytes) {
        if (!response.isCommitted()) {
            return;
        }
        synchronized (this) {
            if (applied || closed) {
                return;
            }
            committingWrite = bytes;
            beforeCommitLocked(response);
        }
    }

    /**
     * Called before the response is given a {@code Content-Length} of {@code length} (-1: none): if the
     * body already written reaches it, the container may count the response as complete and drop
     * later headers (Tomcat does), so the session headers are written first.
     */
    void beforeDeclaredLength(HttpServletResponse response, long length) {
        if (settled) {
            // Nothing can be written before a reset, and a reset forgets the declared length.
            return;
        }
        beforeDeclaredLengthLocked(response, length);
    }

    private synchronized void beforeDeclaredLengthLocked(HttpServletResponse response, long length) {
        declaredLength = length;
        // Zero is left out: neither Jetty nor Tomcat commits on an empty declared body, and freezing the
        // session there would refuse the changes of a handler that declares an empty body first.
        if (length > 0 && written >= length) {
            beforeCommitLocked(response);
        }
    }

    /** The response was committed before the filter handled the request (by a filter ahead of it). */
    synchronized void committedOnArrival() {
        committedOnArrival = true;
    }

    /** A forward through the filter's request returned. */
    synchronized void forwardReturned() {
        forwarded = true;
    }

    /** The filter runs on a FORWARD dispatch of this request. */
    synchronized void forwardDispatch() {
        forwardDispatchSeen = true;
    }

    /** Advice for a session cookie that came too late, fitted to the cause where the filter can tell it. */
    private String lossAdvice(HttpServletResponse response) {
        if (committingWrite > 0) {
            return "A single write (" + committingWrite + " bytes at most) committed it, earlier than the filter "
                    + "expected from getBufferSize() = " + response.getBufferSize() + ": the container sends "
                    + "writes larger than its output aggregation size at once (Jetty: "
                    + "HttpConfiguration.outputAggregationSize, assumed to be at least min(bufferSize / 4, "
                    + AGGREGATION_FLOOR + ")). Raise the aggregation size, or call flushBuffer() before the "
                    + "first large write (the filter writes the cookie first); later changes to the session "
                    + "are refused.";
        }
        if (forwarded && !forwardDispatchSeen) {
            return "The request was forwarded with a RequestDispatcher, and the container completed the "
                    + "response at the end of the forward, where this filter does not run: map the filter for "
                    + "the FORWARD dispatcher type too (SessionFilter.register does).";
        }
        if (committedOnArrival) {
            return "The response was already committed when the request reached this filter: register the "
                    + "filter ahead of filters that write or flush the response.";
        }
        return "Something wrote, flushed or completed the container's response without going through the "
                + "response the filter passed on (an unwrapped response, or an AsyncContext of a request the "
                + "filter did not wrap): write through the response the filter passed on, and map the filter "
                + "for the REQUEST, FORWARD, ASYNC and ERROR dispatcher types.";
    }

    /** {@code response.reset()} ran: the headers are gone and must be written again. */
    synchronized void onReset() {
        written = 0;
        declaredLength = -1;
        committingWrite = 0;
        if (produced && !closed) {
            applied = false;
            settled = false;
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
        if (!produced) {
            session.discard();
        }
        failure = null;
        closed = true;
        settled = true;
    }

    /**
     * The response is complete (the last dispatch returned, the async request completed, or the handler
     * threw): reports changes that can no longer reach the browser, through
     * {@link SessionRequest#finish()}. Runs once.
     */
    void finish() {
        if (!FINISHED.compareAndSet(this, false, true)) {
            return;
        }
        finishNow();
    }

    private void finishNow() {
        if (!session.isCommitted() && session.isAccessed() && session.session().isChanged()) {
            LOG.log(Level.WARNING, "chirp-sessions: the response completed without passing the session "
                    + "filter, so the changed session was not saved. Complete async requests through the "
                    + "AsyncContext of the request the filter passed on, and map the filter for REQUEST, "
                    + "ASYNC and ERROR dispatches of every path the request is dispatched to.");
        }
        session.discard();
        session.finish();
    }

    /**
     * An ERROR dispatch ended. It is usually an error page rendered after the request's own dispatch
     * already ended and called {@link #finish()}: the core is asked to report again what the error page
     * did too late (a first read, or an in-place change); otherwise as {@link #finish()}.
     */
    void finishErrorDispatch() {
        if (FINISHED.compareAndSet(this, false, true)) {
            finishNow();
            return;
        }
        boolean failed;
        synchronized (this) {
            failed = closed;
        }
        // The core reports each problem once per request, so asking again is safe: an error page may
        // have read the session first, or changed a list of it in place.
        if (!failed && session.isAccessed()) {
            session.finish();
        }
    }

    // --- AsyncListener: registered on every AsyncContext started through the filter's request ---

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        publish(); // the container's error dispatch may bring the bare request
        fail();
    }

    @Override
    public void onError(AsyncEvent event) {
        publish();
        fail();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // The filter's request wrapper registers this listener again on every startAsync.
    }
}
