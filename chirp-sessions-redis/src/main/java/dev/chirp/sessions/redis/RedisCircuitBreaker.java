package dev.chirp.sessions.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The store's circuit breaker: once Redis has stopped answering (a command timed out, or the connection
 * is down), every call fails at once instead of tying up a request thread for the command timeout, and
 * a single probe at a time asks Redis whether it answers again; its first answer closes the breaker.
 *
 * <p>Without it, a hung Redis (stopped, swapping, stuck in a slow command) holds every worker thread
 * for the whole command timeout, and requests that never touch the session queue behind them: a node
 * that only lost its session store drops out of its load balancer's rotation. The probe runs on its
 * own, not on a request, so the store recovers even when no traffic comes, and the outage log learns
 * when Redis answered again.
 */
final class RedisCircuitBreaker {

    private final Supplier<? extends CompletionStage<?>> probe;
    private final long probeTimeoutNanos;
    private final Executor pause;
    private final Runnable onAnswer;
    private final AtomicBoolean open = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean stopped;

    /**
     * @param probe        sends one cheap command (a {@code PING}) and completes when Redis answers it
     * @param probeTimeout how long one probe may wait for its answer
     * @param pause        runs the next probe after a failed one, a little later
     * @param onAnswer     called once each time a probe's answer closes the breaker
     */
    RedisCircuitBreaker(Supplier<? extends CompletionStage<?>> probe, java.time.Duration probeTimeout, Executor pause,
            Runnable onAnswer) {
        this.probe = probe;
        this.probeTimeoutNanos = probeTimeout.toNanos();
        this.pause = pause;
        this.onAnswer = onAnswer;
    }

    /** Whether calls should fail at once because Redis has not answered since it stopped answering. */
    boolean isOpen() {
        return open.get();
    }

    /** Opens the breaker after a call found Redis unresponsive, and starts probing if nobody is. */
    void trip() {
        if (open.compareAndSet(false, true)) {
            probe();
        }
    }

    /** Stops probing for good (the store closed); the breaker stays as it is. */
    void stop() {
        stopped = true;
    }

    private void probe() {
        if (stopped || !open.get() || !probing.compareAndSet(false, true)) {
            return; // at most one probe in flight: a hung Redis must not collect a queue of them
        }
        CompletableFuture<?> answer;
        try {
            // A dependent future carries the timeout, so the probe's own command is left to Lettuce.
            answer = probe.get().toCompletableFuture().thenApply(reply -> reply)
                    .orTimeout(probeTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            answer = CompletableFuture.failedFuture(rejected);
        }
        answer.whenComplete((reply, failure) -> {
            probing.set(false);
            if (failure == null) {
                if (open.compareAndSet(true, false)) {
                    onAnswer.run();
                }
            } else if (!stopped) {
                pause.execute(this::probe);
            }
        });
    }
}
