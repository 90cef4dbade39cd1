package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An outage is one warning, a reminder per interval while it lasts, and one line when it ends. */
class OutageLogTest {

    private final Logger logger = Logger.getLogger("dev.chirp.sessions.redis");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final AtomicLong nanos = new AtomicLong();
    private final OutageLog log = new OutageLog("redis://cache:6379", Duration.ofMinutes(1), nanos::get);

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void longOutageIsOneWarningPlusOneReminderPerInterval() {
        log.success();
        assertThat(records).isEmpty();

        for (int second = 0; second < 150; second++) {
            nanos.set(Duration.ofSeconds(second).toNanos());
            for (int i = 0; i < 100; i++) {
                log.failure("session store failed: boom");
            }
        }
        assertThat(log.isDown()).isTrue();
        assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.WARNING, Level.WARNING);
        assertThat(records.get(0).getMessage()).startsWith("chirp-sessions: session store failed: boom. ");
        assertThat(records.get(1).getMessage()).isEqualTo("chirp-sessions: Redis at redis://cache:6379 still failing "
                + "after 60.0 s (6000 more failed session operations); latest: session store failed: boom");

        nanos.set(Duration.ofSeconds(151).toNanos());
        log.success();
        log.success();
        assertThat(log.isDown()).isFalse();
        assertThat(records).hasSize(4);
        assertThat(records.get(3).getLevel()).isEqualTo(Level.INFO);
        assertThat(records.get(3).getMessage()).isEqualTo("chirp-sessions: Redis at redis://cache:6379 answers again "
                + "after 151.0 s; 15000 session operations failed meanwhile");
    }
}
