package dev.chirp.sessions.internal;

import java.time.Clock;

/** Reads a clock in whole seconds, as the request path needs it, without building an {@code Instant}. */
public final class EpochSeconds {

    private EpochSeconds() {
    }

    /**
     * {@code clock}'s time in whole seconds, rounded down: the same value as
     * {@code clock.instant().getEpochSecond()}, without the {@code Instant} for the system clock.
     */
    public static long of(Clock clock) {
        try {
            return Math.floorDiv(clock.millis(), 1000L);
        } catch (ArithmeticException e) {
            return clock.instant().getEpochSecond(); // a test clock beyond the range of epoch milliseconds
        }
    }
}
