package dev.chirp.sessions.demo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The demo's one log format: every line on standard error reads {@code chirp-sessions demo: <level>:
 * <message> [<logger>]}, whether it comes from the demo, the session library ({@link System.Logger}),
 * Jetty or Lettuce (both through SLF4J, bound to {@code java.util.logging} by {@code slf4j-jdk14}).
 *
 * <p>Lettuce logs an INFO and a WARN line on every reconnect attempt while Redis is away, several a
 * minute; the Redis store logs the outage itself, once when it starts and once when it ends, so those
 * two Lettuce loggers are turned down to errors. Jetty speaks only for warnings.
 */
final class DemoLogging {

    // Kept here: java.util.logging holds its loggers weakly, and a collected logger loses its level.
    private static final Logger[] CONFIGURED = {
        Logger.getLogger("org.eclipse.jetty"),
        Logger.getLogger("io.lettuce.core.protocol.ConnectionWatchdog"),
        Logger.getLogger("io.lettuce.core.protocol.ReconnectionHandler"),
    };

    private DemoLogging() {
    }

    /** Replaces the JDK's two-line console output with the demo's one-line format. */
    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler(); // standard error
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLine());
        root.addHandler(console);
        root.setLevel(Level.INFO);
        CONFIGURED[0].setLevel(Level.WARNING);
        CONFIGURED[1].setLevel(Level.SEVERE);
        CONFIGURED[2].setLevel(Level.SEVERE);
    }

    /** One line per record; a stack trace only for errors, where it is the thing to read. */
    static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(DemoApp.PREFIX)
                    .append(word(record.getLevel())).append(": ")
                    .append(formatMessage(record).replaceAll("\\R", " "))
                    .append(" [").append(record.getLoggerName()).append("]");
            Throwable thrown = record.getThrown();
            if (thrown != null && record.getLevel().intValue() < Level.SEVERE.intValue()) {
                line.append(" (").append(thrown).append(")");
            }
            line.append(System.lineSeparator());
            if (thrown != null && record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String word(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "error";
            }
            return level.intValue() >= Level.WARNING.intValue() ? "warning" : level.getName().toLowerCase(Locale.ROOT);
        }
    }
}
