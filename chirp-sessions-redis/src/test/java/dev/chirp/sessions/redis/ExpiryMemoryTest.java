package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpiryMemoryTest {

    private static final long TTL = 600_000;
    private static final long TTL_PLUS = 637_500;

    @Test
    void anExpiryThisStoreNeverSetIsDue() {
        assertThat(new ExpiryMemory().due("h", 1_000, TTL, TTL_PLUS)).isTrue();
    }

    @Test
    void anExpirySetWithinTheSlackIsNotDueUntilTheLifetimeWouldOutlastIt() {
        ExpiryMemory memory = new ExpiryMemory();
        memory.moved("h", 1_000 + TTL_PLUS);
        assertThat(memory.due("h", 1_000, TTL, TTL_PLUS)).isFalse();
        assertThat(memory.due("h", 1_000 + 37_500, TTL, TTL_PLUS)).as("exactly the lifetime left").isFalse();
        assertThat(memory.due("h", 1_000 + 37_501, TTL, TTL_PLUS)).as("less than the lifetime left").isTrue();
    }

    @Test
    void aShorterLifetimeMakesItDueSoTheDataIsNotKeptLonger() {
        ExpiryMemory memory = new ExpiryMemory();
        memory.moved("h", 1_000 + TTL_PLUS);
        assertThat(memory.due("h", 2_000, 60_000, 63_750)).isTrue(); // an absolute timeout's last minute
    }

    @Test
    void forgettingAndOverflowingOnlyMakeItDue() {
        ExpiryMemory memory = new ExpiryMemory();
        memory.moved("h", 1_000 + TTL_PLUS);
        memory.forget("h");
        assertThat(memory.due("h", 1_000, TTL, TTL_PLUS)).isTrue();
        for (int i = 0; i <= ExpiryMemory.MAX_ENTRIES; i++) {
            memory.moved("s" + i, 1_000 + TTL_PLUS);
        }
        assertThat(memory.due("s0", 1_000, TTL, TTL_PLUS)).as("forgotten when the memory filled").isTrue();
        assertThat(memory.due("s" + ExpiryMemory.MAX_ENTRIES, 1_000, TTL, TTL_PLUS)).isFalse();
    }
}
