package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An outage is one warning, a reminder per interval while it lasts, and one line when it ends. */
class OutageLogTest {

    private LogCapture captured;
    private final AtomicLong nanos = new AtomicLong();
    private final List<Runnable> afterCalm = new ArrayList<>();
    private final OutageLog log = new OutageLog("redis://cache:6379", Duration.ofMinutes(1), Duration.ofSeconds(30),
            nanos::get, afterCalm::add);

    @BeforeEach
    void capture() {
        captured = LogCapture.of("dev.chirp.sessions.redis");
    }

    @AfterEach
    void release() {
        captured.close();
    }

    private void at(Duration sinceStart) {
        nanos.set(sinceStart.toNanos());
    }

    @Test
    void longOutageIsOneWarningPlusOneReminderPerInterval() {
        log.success();
        assertThat(captured.records()).isEmpty();

        for (int second = 0; second < 150; second++) {
            at(Duration.ofSeconds(second));
            for (int i = 0; i < 100; i++) {
                log.failure("session store failed: boom");
            }
        }
        assertThat(log.isDown()).isTrue();
        assertThat(captured.records()).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.WARNING, Level.WARNING);
        assertThat(captured.records().get(0).getMessage()).startsWith("chirp-sessions: session store failed: boom. ");
        assertThat(captured.records().get(1).getMessage()).isEqualTo("chirp-sessions: Redis at redis://cache:6379 still failing "
                + "after 60.0 s (6000 more failed session operations); latest: session store failed: boom");

        at(Duration.ofSeconds(151));
        log.success(); // answers again, but only 2 s after the last failure: not over yet
        assertThat(log.isDown()).isTrue();
        assertThat(captured.records()).hasSize(3);

        at(Duration.ofSeconds(179)); // 30 s after the last failure (at 149 s)
        log.success();
        log.success();
        assertThat(log.isDown()).isFalse();
        assertThat(captured.records()).hasSize(4);
        assertThat(captured.records().get(3).getLevel()).isEqualTo(Level.INFO);
        assertThat(captured.records().get(3).getMessage()).isEqualTo("chirp-sessions: Redis at redis://cache:6379 answers again; "
                + "the outage lasted 151.0 s from the first failure until Redis answered, and 15000 session "
                + "operations failed meanwhile");
    }

    @Test
    void intermittentFailuresAreOneBurstNotAWarningPerFlip() {
        // Ten minutes of a flaky Redis: every few seconds one command fails between successes.
        for (int second = 0; second < 600; second++) {
            at(Duration.ofSeconds(second));
            log.success();
            if (second % 7 == 0) {
                log.failure("session store failed: no answer within 2000 ms");
            }
            log.success();
        }
        List<Level> levels = captured.records().stream().map(LogRecord::getLevel).toList();
        assertThat(levels).containsOnly(Level.WARNING);
        assertThat(levels).hasSize(1 + 9); // the first failure, then at most one reminder a minute
        assertThat(captured.records().get(1).getMessage()).contains("still failing after 63.0 s (9 more failed");
        assertThat(log.isDown()).isTrue();

        at(Duration.ofSeconds(595 + 30)); // the last failure was at 595 s
        log.success();
        assertThat(captured.records()).hasSize(11);
        assertThat(captured.records().get(10).getLevel()).isEqualTo(Level.INFO);
        assertThat(captured.records().get(10).getMessage()).contains("86 session operations failed meanwhile");
    }

    @Test
    void failureAfterACalmPeriodIsANewBurst() {
        at(Duration.ofSeconds(0));
        log.failure("session store failed: boom");
        at(Duration.ofSeconds(29));
        log.success();
        at(Duration.ofSeconds(29).plusMillis(500));
        log.failure("session store failed: boom"); // within the calm period: same burst, no new line
        assertThat(captured.records()).hasSize(1);

        at(Duration.ofSeconds(60));
        log.success(); // 30.5 s without a failure: over
        assertThat(captured.records()).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
        assertThat(captured.records().get(1).getMessage()).contains("the outage lasted 60.0 s").contains(" 2 session operations");

        at(Duration.ofSeconds(61));
        log.failure("session store failed: boom again");
        assertThat(captured.records()).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO, Level.WARNING);
        assertThat(captured.records().get(2).getMessage()).startsWith("chirp-sessions: session store failed: boom again. ");
    }

    @Test
    void failuresWithNoSuccessBetweenThemStayOneBurstHoweverFarApart() {
        at(Duration.ofSeconds(0));
        log.failure("session store failed: boom");
        at(Duration.ofSeconds(45)); // no traffic in between, so nothing showed that Redis was back
        log.failure("session store failed: boom");
        assertThat(captured.records()).hasSize(1);
        at(Duration.ofSeconds(90));
        log.failure("session store failed: boom");
        assertThat(captured.records()).hasSize(2);
        assertThat(captured.records().get(1).getMessage()).contains("still failing after 90.0 s (2 more failed");
    }

    @Test
    void outageEndIsLoggedWithItsTrueLengthEvenWhenNoRequestFollowsTheRecovery() {
        at(Duration.ofSeconds(0));
        log.failure("session store failed: no answer within 2000 ms");
        at(Duration.ofSeconds(20));
        log.failure("session store failed: not sent"); // the last request during the outage
        at(Duration.ofSeconds(34));
        log.success(); // the circuit breaker's probe: Redis answers after 34 s; then no traffic at all
        assertThat(captured.records()).hasSize(1);
        assertThat(afterCalm).hasSize(1); // the end is checked once the calm period is over

        at(Duration.ofSeconds(50));
        afterCalm.remove(0).run();
        assertThat(log.isDown()).isFalse();
        assertThat(captured.records()).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
        assertThat(captured.records().get(1).getMessage())
                .contains("the outage lasted 34.0 s from the first failure until Redis answered")
                .contains(" 2 session operations failed");
        assertThat(afterCalm).isEmpty();
    }

    @Test
    void failureBeforeTheScheduledCheckKeepsTheOutageGoing() {
        at(Duration.ofSeconds(0));
        log.failure("session store failed: boom");
        at(Duration.ofSeconds(5));
        log.success();
        at(Duration.ofSeconds(10));
        log.failure("session store failed: boom");
        at(Duration.ofSeconds(35));
        afterCalm.remove(0).run(); // 25 s after the latest failure and no answer since it: still down
        assertThat(log.isDown()).isTrue();
        assertThat(captured.records()).hasSize(1);

        at(Duration.ofSeconds(36));
        log.success();
        at(Duration.ofSeconds(66));
        afterCalm.remove(0).run();
        assertThat(captured.records()).hasSize(2);
        assertThat(captured.records().get(1).getMessage()).contains("the outage lasted 36.0 s");
    }
}
