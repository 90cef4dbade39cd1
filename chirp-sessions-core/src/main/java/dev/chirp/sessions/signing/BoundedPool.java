package dev.chirp.sessions.signing;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small lock-free pool of reusable objects that hold native memory or are costly to set up
 * ({@code Mac}, {@code Deflater}, {@code Inflater}). It keeps at most a fixed number of idle objects,
 * whatever the number of threads: a {@code ThreadLocal} would keep one per thread, which under
 * thousands of virtual threads means thousands of zlib streams (about 300 KB of native memory per
 * {@code Deflater}). A caller that finds no idle object makes a new one; one returned to a full pool
 * is discarded at once, so its native memory is freed without waiting for the garbage collector.
 */
final class BoundedPool<T> {

    // Each take or give looks at a few slots only, starting from a place that depends on the thread,
    // so that threads on different cores rarely touch the same slot.
    private static final int PROBES = 4;

    private final AtomicReferenceArray<T> slots;
    private final int mask;
    private final Supplier<T> factory;
    private final Consumer<T> discard;

    /** A pool that keeps at most {@code capacity} (rounded up to a power of two) idle objects. */
    BoundedPool(int capacity, Supplier<T> factory, Consumer<T> discard) {
        int size = Integer.highestOneBit(Math.max(PROBES, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.factory = factory;
        this.discard = discard;
    }

    /** The idle-object limit for pools shared by every thread: twice the processors, 8 to 64. */
    static int defaultCapacity() {
        return Math.min(64, Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /** Takes an idle object, or makes a new one if none is found quickly. */
    T take() {
        int start = start();
        for (int i = 0; i < PROBES; i++) {
            int index = (start + i) & mask;
            T t = slots.get(index);
            if (t != null && slots.compareAndSet(index, t, null)) {
                return t;
            }
        }
        return factory.get();
    }

    /** Gives back an object that is ready for the next use; discards it if the pool is full. */
    void give(T t) {
        int start = start();
        for (int i = 0; i < PROBES; i++) {
            int index = (start + i) & mask;
            if (slots.get(index) == null && slots.compareAndSet(index, null, t)) {
                return;
            }
        }
        discard.accept(t);
    }

    /** The number of idle objects now held; for tests. */
    int idle() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() needs Java 19; getId() is the same number
    private int start() {
        long id = Thread.currentThread().getId();
        return (int) (id ^ (id >>> 16)) * 0x9E3779B9 >>> 16;
    }
}
