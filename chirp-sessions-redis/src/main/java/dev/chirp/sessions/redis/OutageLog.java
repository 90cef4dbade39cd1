package dev.chirp.sessions.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Logs a Redis outage once per burst instead of once per request: a warning at the first failure, a
 * reminder at most once per {@code reminderInterval} while failures go on, and one line once Redis has
 * answered for {@code calm} without a failure. Under load an outage fails every request; a log line per
 * request would bury the cause and cost more than the requests themselves.
 *
 * <p>The calm period is the hysteresis: when only some commands fail (a flaky network, a server close
 * to its limits, timeouts under load), successes and failures alternate, and ending the burst at the
 * first success would log a new warning for nearly every failure. A failure within {@code calm} of the
 * previous one belongs to the same burst.
 *
 * <p>The outage's length is measured from its first failure to the first answer after its last
 * failure (a circuit breaker probe's, when no request came), not to the last failure: with no traffic
 * during an outage, the last failure may be its first second. So that the end is logged even when no
 * request follows the recovery, the first answer also schedules a check for when the calm period is over.
 */
final class OutageLog {

    static final System.Logger LOG = System.getLogger("dev.chirp.sessions.redis");

    private final String address;
    private final long reminderNanos;
    private final long calmNanos;
    private final LongSupplier nanoTime;
    private final Executor afterCalm;

    // Read without the lock on every successful command; a failure, or a success during a burst, takes it.
    private volatile boolean down;
    private volatile long lastFailure;
    private long downSince;
    private boolean answered; // whether a success came after the latest failure
    private long answeredAt; // when the first such success came
    private boolean endCheckScheduled;
    private long lastLogged;
    private long failures;
    private long failuresSinceLog;

    /**
     * @param afterCalm runs a task once the calm period has passed (a delayed executor), to log the end
     *                  of an outage that no later request would report
     */
    OutageLog(String address, Duration reminderInterval, Duration calm, LongSupplier nanoTime, Executor afterCalm) {
        this.address = address;
        this.reminderNanos = reminderInterval.toNanos();
        this.calmNanos = calm.toNanos();
        this.nanoTime = nanoTime;
        this.afterCalm = afterCalm;
    }

    /** Records one failed command; {@code message} is the exception message the request gets. */
    void failure(String message) {
        synchronized (this) {
            long now = nanoTime.getAsLong();
            failures++;
            failuresSinceLog++;
            lastFailure = now;
            answered = false;
            if (!down) {
                down = true;
                downSince = now;
                lastLogged = now;
                failuresSinceLog = 0;
                LOG.log(Level.WARNING, "chirp-sessions: " + message + ". Requests that use the session fail "
                        + "with SessionStoreException until Redis answers again; further failures are logged "
                        + "at most every " + Duration.ofNanos(reminderNanos).toSeconds() + " s");
            } else if (now - lastLogged >= reminderNanos) {
                LOG.log(Level.WARNING, "chirp-sessions: Redis at " + address + " still failing after "
                        + seconds(now - downSince) + " s (" + failuresSinceLog + " more failed session "
                        + "operations); latest: " + message);
                lastLogged = now;
                failuresSinceLog = 0;
            }
        }
    }

    /**
     * Records a command that Redis answered; logs the end of an outage once, when this success comes
     * at least the calm period after the latest failure.
     */
    void success() {
        if (!down) {
            return;
        }
        long now = nanoTime.getAsLong();
        boolean scheduleCheck = false;
        synchronized (this) {
            if (!down) {
                return;
            }
            if (!answered) {
                answered = true;
                answeredAt = now;
            }
            if (now - lastFailure < calmNanos) {
                // Still within the burst: a failure may follow. Check again once the calm period is over.
                scheduleCheck = !endCheckScheduled;
                endCheckScheduled = true;
            } else {
                end();
            }
        }
        if (scheduleCheck) {
            afterCalm.execute(this::checkCalm);
        }
    }

    private void checkCalm() {
        boolean again;
        synchronized (this) {
            endCheckScheduled = false;
            if (!down || !answered) {
                return; // ended by a request meanwhile, or failing again: the next answer schedules anew
            }
            if (nanoTime.getAsLong() - lastFailure >= calmNanos) {
                end();
                return;
            }
            again = true;
            endCheckScheduled = true;
        }
        if (again) {
            afterCalm.execute(this::checkCalm);
        }
    }

    private void end() {
        down = false;
        LOG.log(Level.INFO, "chirp-sessions: Redis at " + address + " answers again; the outage lasted "
                + seconds(answeredAt - downSince) + " s from the first failure until Redis answered, and "
                + failures + " session operations failed meanwhile");
        failures = 0;
        failuresSinceLog = 0;
        answered = false;
    }

    /** Whether a burst of failures is going on: a failure came and Redis has not been calm since. */
    boolean isDown() {
        return down;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
