package dev.chirp.sessions.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Logs a Redis outage once per burst instead of once per request: a warning at the first failure, a
 * reminder at most once per {@code reminderInterval} while failures go on, and one line when Redis
 * answers again. Under load an outage fails every request; a log line per request would bury the
 * cause and cost more than the requests themselves.
 */
final class OutageLog {

    static final System.Logger LOG = System.getLogger("dev.chirp.sessions.redis");

    private final String address;
    private final long reminderNanos;
    private final LongSupplier nanoTime;

    // Read without the lock on every successful command; only a failure or a recovery takes the lock.
    private volatile boolean down;
    private long downSince;
    private long lastLogged;
    private long failures;
    private long failuresSinceLog;

    OutageLog(String address, Duration reminderInterval, LongSupplier nanoTime) {
        this.address = address;
        this.reminderNanos = reminderInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Records one failed command; {@code message} is the exception message the request gets. */
    void failure(String message) {
        synchronized (this) {
            long now = nanoTime.getAsLong();
            failures++;
            failuresSinceLog++;
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

    /** Records a command that Redis answered; logs the end of an outage once. */
    void success() {
        if (!down) {
            return;
        }
        synchronized (this) {
            if (down) {
                down = false;
                LOG.log(Level.INFO, "chirp-sessions: Redis at " + address + " answers again after "
                        + seconds(nanoTime.getAsLong() - downSince) + " s; " + failures
                        + " session operations failed meanwhile");
                failures = 0;
                failuresSinceLog = 0;
            }
        }
    }

    /** Whether the latest command failed. */
    boolean isDown() {
        return down;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
