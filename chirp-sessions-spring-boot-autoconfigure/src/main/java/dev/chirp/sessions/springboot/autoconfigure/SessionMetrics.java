package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.SessionEvent;
import dev.chirp.sessions.SessionListener;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.signing.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Micrometer meters fed by chirp's session events:
 * <ul>
 *   <li>{@value #EVENTS}, a counter per event {@code type} ({@code created}, {@code rejected}, ...) and
 *       {@code reason} (the rejection, such as {@code bad_signature}; {@code none} for other types);</li>
 *   <li>{@value #COOKIE_SIZE}, a distribution summary of written (and refused) cookie sizes in bytes,
 *       by event {@code type};</li>
 *   <li>{@value #STORE_CALLS}, a timer of server-side store calls by {@code operation} ({@code load},
 *       {@code save}, {@code touch}, {@code delete}) and {@code outcome} ({@code success},
 *       {@code failure}), for a store wrapped by {@link #timed}.</li>
 * </ul>
 * Every meter exists from the start, at zero, so dashboards and alerts see it before the first event.
 * Events that arrive before a registry is bound are not counted.
 */
public class SessionMetrics implements SessionListener, MeterBinder {

    /** Name of the event counter. */
    public static final String EVENTS = "chirp.sessions.events";
    /** Name of the cookie size summary. */
    public static final String COOKIE_SIZE = "chirp.sessions.cookie.size";
    /** Name of the store call timer. */
    public static final String STORE_CALLS = "chirp.sessions.store.calls";

    private static final List<String> OPERATIONS = List.of("load", "save", "touch", "delete");

    private final List<Meters> bound = new CopyOnWriteArrayList<>();

    /** Creates the meters; they are registered by {@link #bindTo}. */
    public SessionMetrics() {
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bound.add(new Meters(registry));
    }

    @Override
    public void onEvent(SessionEvent event) {
        for (Meters meters : bound) {
            meters.record(event);
        }
    }

    /** Wraps {@code store} so that each of its calls is timed under {@value #STORE_CALLS}. */
    public SessionStore timed(SessionStore store) {
        return new TimedSessionStore(store, this);
    }

    void recordStoreCall(String operation, boolean success, long nanos) {
        for (Meters meters : bound) {
            meters.storeCall(operation, success, nanos);
        }
    }

    @Override
    public String toString() {
        return "SessionMetrics[" + bound.size() + " registries]";
    }

    /** The meters of one registry, created up front so that recording never looks anything up by name. */
    private static final class Meters {
        private final Map<SessionEvent.Type, Counter> events = new EnumMap<>(SessionEvent.Type.class);
        private final Map<Rejection, Counter> rejections = new EnumMap<>(Rejection.class);
        private final Map<SessionEvent.Type, DistributionSummary> sizes = new EnumMap<>(SessionEvent.Type.class);
        private final Timer[] storeCalls = new Timer[OPERATIONS.size() * 2];

        Meters(MeterRegistry registry) {
            for (SessionEvent.Type type : SessionEvent.Type.values()) {
                if (type == SessionEvent.Type.REJECTED) {
                    for (Rejection rejection : Rejection.values()) {
                        rejections.put(rejection, counter(registry, type, name(rejection)));
                    }
                } else {
                    events.put(type, counter(registry, type, "none"));
                }
            }
            for (SessionEvent.Type type : List.of(SessionEvent.Type.CREATED, SessionEvent.Type.CHANGED,
                    SessionEvent.Type.REGENERATED, SessionEvent.Type.REFRESHED, SessionEvent.Type.TOO_LARGE)) {
                sizes.put(type, DistributionSummary.builder(COOKIE_SIZE)
                        .description("Size of the session's Set-Cookie header value, written or refused")
                        .baseUnit("bytes").tag("type", name(type)).register(registry));
            }
            for (int i = 0; i < OPERATIONS.size(); i++) {
                storeCalls[2 * i] = timer(registry, OPERATIONS.get(i), "success");
                storeCalls[2 * i + 1] = timer(registry, OPERATIONS.get(i), "failure");
            }
        }

        void record(SessionEvent event) {
            Counter counter = event.rejection().map(rejections::get).orElseGet(() -> events.get(event.type()));
            if (counter != null) {
                counter.increment();
            }
            if (event.cookieBytes().isPresent()) {
                DistributionSummary summary = sizes.get(event.type());
                if (summary != null) {
                    summary.record(event.cookieBytes().getAsInt());
                }
            }
        }

        void storeCall(String operation, boolean success, long nanos) {
            storeCalls[2 * OPERATIONS.indexOf(operation) + (success ? 0 : 1)]
                    .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        private static Counter counter(MeterRegistry registry, SessionEvent.Type type, String reason) {
            return Counter.builder(EVENTS).description("Session events by type and rejection reason")
                    .tag("type", name(type)).tag("reason", reason).register(registry);
        }

        private static Timer timer(MeterRegistry registry, String operation, String outcome) {
            return Timer.builder(STORE_CALLS).description("Calls to the server-side session store")
                    .tag("operation", operation).tag("outcome", outcome).register(registry);
        }

        private static String name(Enum<?> value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }
}
