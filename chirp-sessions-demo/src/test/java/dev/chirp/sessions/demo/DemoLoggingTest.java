package dev.chirp.sessions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 8 item 11: one log format, and Lettuce's reconnect chatter kept out of the demo's log. */
class DemoLoggingTest {

    private final Logger root = Logger.getLogger("");
    private Handler[] savedHandlers;
    private Level savedLevel;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void install() {
        savedHandlers = root.getHandlers();
        savedLevel = root.getLevel();
        DemoLogging.install();
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler); // keep the test's own output quiet; records go to the capture
        }
        root.addHandler(capture);
    }

    @AfterEach
    void restore() {
        root.removeHandler(capture);
        for (Handler handler : savedHandlers) {
            root.addHandler(handler);
        }
        root.setLevel(savedLevel);
        Logger.getLogger("io.lettuce.core.protocol.ConnectionWatchdog").setLevel(null);
        Logger.getLogger("io.lettuce.core.protocol.ReconnectionHandler").setLevel(null);
        Logger.getLogger("org.eclipse.jetty").setLevel(null);
    }

    @Test
    void lettuceReconnectLinesAreDroppedButItsOtherWarningsReachTheDemoLog() {
        // Lettuce logs through Netty's InternalLoggerFactory, which picks SLF4J when it is present.
        InternalLoggerFactory.getInstance("io.lettuce.core.protocol.ConnectionWatchdog")
                .info("Reconnecting, last destination was x");
        InternalLoggerFactory.getInstance("io.lettuce.core.protocol.ReconnectionHandler")
                .warn("Cannot reconnect to [x]: refused");
        assertThat(records).isEmpty();

        // Lettuce goes through SLF4J to java.util.logging, so its other warnings still show.
        InternalLoggerFactory.getInstance("io.lettuce.core.RedisClient").warn("something else");
        assertThat(records).extracting(LogRecord::getMessage).containsExactly("something else");
    }

    @Test
    void everyRecordIsOneLineInTheDemoFormat() {
        DemoLogging.OneLine format = new DemoLogging.OneLine();
        LogRecord warning = new LogRecord(Level.WARNING, "chirp-sessions: Redis at redis://127.0.0.1:6379 failed\nagain");
        warning.setLoggerName("dev.chirp.sessions.redis");
        warning.setThrown(new IllegalStateException("boom"));
        assertThat(format.format(warning)).isEqualTo("chirp-sessions demo: warning: chirp-sessions: Redis at "
                + "redis://127.0.0.1:6379 failed again [dev.chirp.sessions.redis] (java.lang.IllegalStateException: "
                + "boom)" + System.lineSeparator());

        LogRecord info = new LogRecord(Level.INFO, "answers again");
        info.setLoggerName("dev.chirp.sessions.redis");
        assertThat(format.format(info)).isEqualTo("chirp-sessions demo: info: answers again [dev.chirp.sessions.redis]"
                + System.lineSeparator());
    }

    @Test
    void jettySpeaksOnlyForWarnings() {
        Logger jetty = Logger.getLogger("org.eclipse.jetty.server.Server");
        jetty.info("Started");
        jetty.warning("a real problem");
        assertThat(records).extracting(LogRecord::getMessage).containsExactly("a real problem");
    }
}
