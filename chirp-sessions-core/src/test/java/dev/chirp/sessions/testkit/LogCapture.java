package dev.chirp.sessions.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what a {@code System.Logger} (backed by java.util.logging in the tests) logs under a name while
 * open; what it collected stays readable after {@link #close()}. While open, those records are not also
 * printed: a test that captures a log checks it, and a passing build stays quiet.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final boolean parentHandlers;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(String name) {
        logger = Logger.getLogger(name);
        setLevel(Level.ALL);
        parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** Starts collecting what the logger {@code name} (and those below it) logs. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Everything collected so far, in order (a live, thread-safe list). */
    public List<LogRecord> records() {
        return records;
    }

    /** The messages of the warnings (and anything more severe) collected so far. */
    public List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).toList();
    }

    /**
     * The warnings so far, once one contains {@code fragment}: it may be logged when the request ends,
     * after the client already has the response. Waits for it at most a minute (a hang guard, not a
     * speed limit), then returns what there is, for the caller's assertion to report.
     */
    public List<String> awaitWarning(String fragment) {
        try {
            Await.until(Duration.ofMinutes(1), () -> "a warning containing " + fragment,
                    () -> warnings().stream().anyMatch(w -> w.contains(fragment)));
        } catch (AssertionError notLogged) {
            // the caller's assertion on what was logged says what is missing
        }
        return warnings();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parentHandlers);
    }
}
