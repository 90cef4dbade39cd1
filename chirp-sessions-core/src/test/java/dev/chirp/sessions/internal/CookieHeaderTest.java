package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CookieHeaderTest {

    @Test
    void findsTheNamedCookieAmongOthers() {
        assertThat(CookieHeader.values(List.of("a=1; chirp_session=abc.def.ghi; b=2"), "chirp_session"))
                .containsExactly("abc.def.ghi");
    }

    @Test
    void returnsEveryValueOfARepeatedNameInOrder() {
        assertThat(CookieHeader.values(List.of("s=one; s=two", "s=three"), "s")).containsExactly("one", "two", "three");
    }

    @Test
    void stripsQuotesAndSpaces() {
        assertThat(CookieHeader.values(List.of("  s = \"v.a.l\" ;x=1"), "s")).containsExactly("v.a.l");
    }

    @Test
    void doesNotMatchOtherNamesWithTheSamePrefixOrSuffix() {
        assertThat(CookieHeader.values(List.of("xs=1; sx=2; s_=3"), "s")).isEmpty();
    }

    @Test
    void survivesJunk() {
        assertThat(CookieHeader.values(Arrays.asList(null, "", ";;;", "=", "s", "=s", "s=", "ü=ß; s=ok"), "s"))
                .containsExactly("", "ok");
        assertThat(CookieHeader.values(null, "s")).isEmpty();
    }

    // Hostile filler shapes from the audit: the old parser searched for '=' to the end of the whole header
    // from every segment, so 1 MB of ';' took 19 s.
    private static final List<String> FILLERS = List.of(";", "=", "\"", " ", "; ", "=;", "a=", "\";", " = ;", "x");

    @ParameterizedTest
    @ValueSource(ints = {64 * 1024, 256 * 1024, 1024 * 1024 - 64})
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // generous: only a quadratic parser comes near it
    void theCookieIsStillFoundAfterHostileFiller(int size) {
        for (String filler : FILLERS) {
            String junk = filler.repeat(size / filler.length());
            for (String header : List.of(junk + ";s=ok", "s=ok;" + junk, junk + "; s=ok")) {
                List<String> found = CookieHeader.values(List.of(header), "s");
                // Hundreds of thousands of pairs before it do not hide it.
                assertThat(found).as("filler %s", filler).containsExactly("ok");
            }
        }
    }

    /**
     * Linearity measured from outside the parser (not from a step count it adds up itself, which a new
     * quadratic loop would not touch): the parse's CPU time on this thread at 128 KiB and at 1 MiB of each
     * hostile shape. Linear work grows 8 times; the check allows 24 (plus 2 ms for timer granularity), while
     * a quadratic parser grows 64 times (the old one took 19 s at 1 MiB). The best of several runs after a
     * warm-up, and CPU time rather than wall time, keep a busy machine from failing it.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void parseTimeGrowsLinearlyWithTheHeader() {
        int smallSize = 128 * 1024;
        int largeSize = 8 * smallSize;
        for (String filler : FILLERS) {
            for (int shape = 0; shape < 3; shape++) {
                String small = hostile(filler, smallSize, shape);
                String large = hostile(filler, largeSize, shape);
                bestCpuNanos(small, 3); // warm-up: the JIT compiles the parser before anything is timed
                long smallNanos = bestCpuNanos(small, 5);
                long largeNanos = bestCpuNanos(large, 5);
                assertThat(largeNanos).as("CPU ns for %d chars of '%s' (shape %d) against %d ns for %d chars",
                        large.length(), filler, shape, smallNanos, small.length())
                        .isLessThanOrEqualTo(24 * smallNanos + 2_000_000L);
            }
        }
    }

    private static String hostile(String filler, int size, int shape) {
        String junk = filler.repeat(size / filler.length());
        return shape == 0 ? junk + ";s=ok" : shape == 1 ? "s=ok;" + junk : junk + "; s=ok";
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long bestCpuNanos(String header, int runs) {
        List<String> headers = List.of(header);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long start = THREADS.getCurrentThreadCpuTime();
            List<String> found = CookieHeader.values(headers, "s");
            long spent = THREADS.getCurrentThreadCpuTime() - start;
            assertThat(found).hasSizeLessThanOrEqualTo(1); // uses the result: the call cannot be dropped
            best = Math.min(best, spent);
        }
        return best;
    }

    @Test
    void sameNameCookiesAreAllFoundAmongHostileFiller() {
        String junk = ";".repeat(300_000) + "\"".repeat(100_000) + " ".repeat(100_000);
        assertThat(CookieHeader.values(List.of("s=one;" + junk + ";s=two", junk, "s=\"three\""), "s"))
                .containsExactly("one", "two", "three");
    }

    @Test
    void findsTheCookieBehindAnyNumberOfOtherCookies() {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            header.append("c").append(i).append("=v; ");
        }
        assertThat(CookieHeader.values(List.of(header + "s=last"), "s")).containsExactly("last");
        assertThat(CookieHeader.values(List.of(header.toString(), "x=1", "s=late"), "s")).containsExactly("late");
    }

    @Test
    void keepsAtMostTheDocumentedNumberOfValuesOfTheName() {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < CookieHeader.MAX_VALUES - 1; i++) {
            header.append("s=v").append(i).append("; ");
        }
        assertThat(CookieHeader.values(List.of(header + "s=last"), "s")).hasSize(CookieHeader.MAX_VALUES)
                .endsWith("last");
        assertThat(CookieHeader.values(List.of(header + "s=last; s=beyond"), "s")).doesNotContain("beyond");
        // The count spans headers: a request cannot reset it by splitting the flood.
        assertThat(CookieHeader.values(List.of(header.toString(), "s=last", "s=beyond"), "s"))
                .hasSize(CookieHeader.MAX_VALUES).doesNotContain("beyond");
    }

    @Test
    void stopsAfterTheDocumentedNumberOfCharactersOverAllHeaders() {
        String filler = ";".repeat(CookieHeader.MAX_SCANNED_CHARS / 4);
        List<String> headers = new ArrayList<>(List.of(filler, filler, filler));
        headers.add(";".repeat(CookieHeader.MAX_SCANNED_CHARS / 4 - 10) + ";s=ok");
        assertThat(CookieHeader.values(headers, "s")).containsExactly("ok");
        headers.set(3, ";".repeat(CookieHeader.MAX_SCANNED_CHARS / 4 - 2) + ";s=cut");
        assertThat(CookieHeader.values(headers, "s")).as("a pair cut off by the limit is not read").isEmpty();
        headers.add("s=beyond");
        assertThat(CookieHeader.values(headers, "s")).as("a value past the limit is never read").isEmpty();
    }
}
