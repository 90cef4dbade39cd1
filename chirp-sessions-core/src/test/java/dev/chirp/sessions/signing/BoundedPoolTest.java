package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedPoolTest {

    @Test
    void reusesWhatWasGivenBack() {
        AtomicInteger made = new AtomicInteger();
        BoundedPool<Object> pool = new BoundedPool<>(8, () -> made.incrementAndGet(), o -> { });
        Object first = pool.take();
        pool.give(first);
        assertThat(pool.take()).isSameAs(first);
        assertThat(made).hasValue(1);
    }

    @Test
    void keepsNoMoreThanItsCapacityAndDiscardsTheRestAtOnce() {
        List<Object> discarded = new ArrayList<>();
        AtomicInteger made = new AtomicInteger();
        BoundedPool<Object> pool = new BoundedPool<>(8, made::incrementAndGet, discarded::add);
        List<Object> taken = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            taken.add(pool.take()); // as if 1000 threads held one each
        }
        taken.forEach(pool::give);
        assertThat(made).hasValue(1000);
        assertThat(pool.idle()).isLessThanOrEqualTo(8).isPositive();
        assertThat(discarded).hasSize(1000 - pool.idle());
    }
}
