package dev.chirp.sessions.redis;

import dev.chirp.sessions.SessionStoreException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How a store talks to Redis: every command waits at most the command timeout, a failure becomes a
 * {@link SessionStoreException} naming the command and the address (never a credential), a circuit
 * breaker fails calls at once while Redis does not answer, and outages are logged once, not per request.
 */
final class RedisCalls {

    private static final Duration OUTAGE_REMINDER = Duration.ofMinutes(1);
    // Between probes that got no answer. A hung Redis already makes each probe wait the command
    // timeout; this only keeps probes of a refused connection from running in a tight loop.
    private static final Duration PROBE_PAUSE = Duration.ofMillis(200);

    private final RedisLink link;
    private final Duration commandTimeout;
    private final long commandTimeoutNanos;
    private final OutageLog outages;
    private final RedisCircuitBreaker breaker;
    private volatile boolean closed;

    RedisCalls(RedisLink link, Duration commandTimeout, Duration outageCalm, LongSupplier outageTicker) {
        this.link = link;
        this.commandTimeout = commandTimeout;
        this.commandTimeoutNanos = commandTimeout.toNanos();
        this.outages = new OutageLog(link.address, OUTAGE_REMINDER, outageCalm, outageTicker,
                CompletableFuture.delayedExecutor(outageCalm.toNanos(), TimeUnit.NANOSECONDS));
        this.breaker = new RedisCircuitBreaker(link::sendPing, commandTimeout,
                CompletableFuture.delayedExecutor(PROBE_PAUSE.toMillis(), TimeUnit.MILLISECONDS), outages::success);
    }

    boolean isAvailable() {
        return !closed && !breaker.isOpen();
    }

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        breaker.stop();
        link.close();
    }

    /**
     * Runs a script by {@code EVALSHA}, and by {@code EVAL} when Redis does not know it (after a restart
     * or failover), which then knows it again.
     */
    <T> T script(RedisScript script, ScriptOutputType type, String[] scriptKeys, String... args) {
        String command = script.name() + " (script)";
        try {
            return call(command, () -> link.scripts.<T>evalsha(script.sha(), type, scriptKeys, args));
        } catch (NoScript e) {
            return call(command, () -> link.scripts.<T>eval(script.lua(), type, scriptKeys, args));
        }
    }

    /** Redis does not know a script sent by its SHA-1; {@link #script} sends it whole. */
    private static final class NoScript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoScript() {
            super(null, null, false, false);
        }
    }

    <T> T call(String command, Supplier<RedisFuture<T>> dispatch) {
        if (closed) {
            throw new SessionStoreException("session store failed: the RedisSessionStore for " + link.address
                    + " is closed; close it only when the application stops", null);
        }
        if (breaker.isOpen()) {
            // Fail fast: a hung Redis would hold this request thread for the whole command timeout.
            throw failure(command, "not sent: Redis stopped answering and has not answered a probe since", null,
                    false);
        }
        RedisFuture<T> future = null;
        try {
            future = dispatch.get();
            T result = future.get(commandTimeoutNanos, TimeUnit.NANOSECONDS);
            outages.success();
            return result;
        } catch (TimeoutException e) {
            // Cancel so that a command still waiting in Lettuce's queue is never sent once the request
            // has failed. (One already on the wire may still be carried out, as with any remote store.)
            future.cancel(true);
            throw failure(command, "no answer within " + commandTimeout.toMillis() + " ms", e, true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RedisNoScriptException) {
                throw new NoScript(); // not a failure: the caller sends the script itself
            }
            if (cause instanceof RedisCommandTimeoutException) { // Lettuce's own timer came first
                throw failure(command, "no answer within " + commandTimeout.toMillis() + " ms", cause, true);
            }
            throw failure(command, RedisFailure.summary(cause), cause, unresponsive(cause));
        } catch (RedisException e) {
            throw failure(command, RedisFailure.summary(e), e, unresponsive(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (future != null) {
                future.cancel(true);
            }
            throw new SessionStoreException("session store failed: interrupted while waiting for " + link.address
                    + " (" + command + ")", e);
        }
    }

    /**
     * Whether a failure shows that Redis does not answer (connection down or refused), as opposed to
     * Redis answering with an error (out of memory, a wrong password), which a probe would not cure.
     */
    private static boolean unresponsive(Throwable failure) {
        return !(failure instanceof RedisCommandExecutionException);
    }

    private SessionStoreException failure(String command, String what, Throwable cause, boolean unresponsive) {
        if (unresponsive) {
            breaker.trip();
        }
        String message = "session store failed: " + link.address + " did not complete " + command + " (" + what
                + "); the request fails closed rather than run with a wrong session, and the store reconnects "
                + "by itself";
        outages.failure(message);
        return new SessionStoreException(message, cause);
    }

}
