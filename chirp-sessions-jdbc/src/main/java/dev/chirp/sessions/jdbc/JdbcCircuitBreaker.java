package dev.chirp.sessions.jdbc;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The store's circuit breaker: once PostgreSQL has stopped answering (a connection failed or a statement
 * ran past the timeout), every call fails at once instead of tying up a request thread for the timeout,
 * while one probe at a time, on the store's own thread, asks the database whether it answers again; its
 * first answer closes the breaker, so the store recovers without a restart and without traffic.
 */
final class JdbcCircuitBreaker {

    static final Logger LOG = System.getLogger("dev.chirp.sessions.jdbc");

    private final BooleanSupplier probe;
    private final ScheduledExecutorService scheduler;
    private final long pauseMillis;
    private final String what;
    private final AtomicBoolean open = new AtomicBoolean();

    /**
     * @param probe     takes a connection and checks it, within the store's timeout; true if it answered
     * @param scheduler the store's own thread
     * @param pauseMillis between probes that got no answer
     * @param what      names the database in the log, never with credentials
     */
    JdbcCircuitBreaker(BooleanSupplier probe, ScheduledExecutorService scheduler, long pauseMillis, String what) {
        this.probe = probe;
        this.scheduler = scheduler;
        this.pauseMillis = pauseMillis;
        this.what = what;
    }

    boolean isOpen() {
        return open.get();
    }

    /** Opens the breaker after a call found the database unresponsive, and starts probing. */
    void trip(String reason) {
        if (open.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "chirp-sessions: " + what + " stopped answering (" + reason + "); session "
                    + "requests fail at once until it answers again");
            schedule(0);
        }
    }

    private void schedule(long delayMillis) {
        try {
            scheduler.schedule(this::probe, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // The store closed: nobody needs the answer any more.
        }
    }

    private void probe() {
        if (!open.get()) {
            return;
        }
        if (probe.getAsBoolean()) {
            open.set(false);
            LOG.log(Level.INFO, "chirp-sessions: " + what + " answers again; session requests are served");
        } else {
            schedule(pauseMillis);
        }
    }
}
