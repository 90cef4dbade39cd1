package dev.chirp.sessions.spring.benchmarks;

import java.util.Map;
import java.util.TreeMap;

/**
 * One measured load run of one form on one endpoint, with the Redis commands the server executed meanwhile.
 *
 * @param round    1, 2, ...
 * @param form     the app form
 * @param endpoint {@code read} or {@code write}
 * @param load     what the load generator measured
 * @param commands calls per Redis command during the run ({@code INFO} itself left out)
 */
public record Measurement(int round, Form form, String endpoint, LoadResult load, Map<String, Long> commands) {

    /** Redis commands the run caused, all kinds together. */
    public long totalCommands() {
        return commands.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The calls per command between two {@code INFO commandstats} readings, without the {@code INFO} calls
     * that took them.
     */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((command, calls) -> {
            long added = calls - before.getOrDefault(command, 0L);
            if (added > 0 && !command.equals("info")) {
                delta.put(command, added);
            }
        });
        return delta;
    }
}
