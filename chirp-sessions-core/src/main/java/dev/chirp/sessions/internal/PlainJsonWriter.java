package dev.chirp.sessions.internal;

import java.util.List;
import java.util.Map;

/**
 * A writer for plain values, the shape almost every session has: maps and lists (a few levels deep) of
 * printable-ASCII strings, {@link Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link Boolean}
 * and {@code null}, written straight into a byte array of the exact size.
 *
 * <p>It exists because Jackson's generator setup (I/O context, buffer recycler, a 256-byte builder and
 * the final copy) costs more than writing a small session. Its output is byte for byte what
 * {@link Json}'s Jackson path writes; a value with anything else (a double, a character that Jackson
 * escapes or writes as multi-byte UTF-8, a non-String key, another type) is declined whole and Jackson
 * writes it, so the two paths can never disagree on how to spell a part.
 *
 * <p>One traversal measures (and checks) the value, a second writes it; a comparison needs only one. A
 * value changed by another thread in between is caught by the bounds and the re-checks of the second
 * pass: the result is then declined, never malformed.
 */
final class PlainJsonWriter {

    // Far below Jackson's own nesting limit, and a bound on this writer's recursion.
    private static final int MAX_DEPTH = 16;

    /** Where the bytes go; {@code null} while measuring. */
    private final byte[] target;
    /** Whether to compare with {@link #target} instead of writing into it. */
    private final boolean comparing;
    private int position;
    private boolean differs;

    private PlainJsonWriter(byte[] target, boolean comparing) {
        this.target = target;
        this.comparing = comparing;
    }

    /** The JSON of {@code value} if it is plain, or {@code null} if Jackson must write it. */
    static byte[] write(Object value) {
        int length = length(value);
        if (length < 0) {
            return null;
        }
        byte[] out = new byte[length];
        PlainJsonWriter writer = new PlainJsonWriter(out, false);
        return writer.value(value, 0) && writer.position == length ? out : null;
    }

    /**
     * Whether {@code value}'s JSON is exactly {@code expected}: {@link Boolean#TRUE} or {@link Boolean#FALSE}
     * when the value is plain, {@code null} if Jackson must decide.
     */
    static Boolean sameAs(Object value, byte[] expected) {
        // One pass, no measuring: the comparison stops counting matches past the end of expected, so a
        // longer or shorter JSON shows in the final position.
        PlainJsonWriter comparer = new PlainJsonWriter(expected, true);
        if (!comparer.value(value, 0)) {
            return null;
        }
        return comparer.position == expected.length && !comparer.differs;
    }

    /** The length of {@code value}'s JSON, or -1 if it is not plain. */
    static int length(Object value) {
        PlainJsonWriter measure = new PlainJsonWriter(null, false);
        return measure.value(value, 0) ? measure.position : -1;
    }

    private boolean value(Object value, int depth) {
        // The order of the checks follows Json.writeValue's, which matters only for a Map that is also a List.
        if (value == null) {
            return word("null");
        } else if (value instanceof String) {
            return string((String) value);
        } else if (value instanceof Boolean) {
            return word((Boolean) value ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            integer(((Number) value).longValue());
            return true;
        } else if (value instanceof Map) {
            return depth < MAX_DEPTH && object((Map<?, ?>) value, depth + 1);
        } else if (value instanceof List) {
            return depth < MAX_DEPTH && array((List<?>) value, depth + 1);
        }
        return false;
    }

    private boolean object(Map<?, ?> map, int depth) {
        put('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                return false; // Jackson's path decides what a non-String key means
            }
            if (!first) {
                put(',');
            }
            first = false;
            if (!string((String) e.getKey())) {
                return false;
            }
            put(':');
            if (!value(e.getValue(), depth)) {
                return false;
            }
        }
        put('}');
        return true;
    }

    private boolean array(List<?> list, int depth) {
        put('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                put(',');
            }
            first = false;
            if (!value(item, depth)) {
                return false;
            }
        }
        put(']');
        return true;
    }

    /**
     * A string of printable ASCII other than '"' and '\\', which Jackson writes unchanged ('/' included);
     * control characters, DEL and everything beyond ASCII are declined rather than re-deciding how
     * Jackson escapes or encodes them.
     */
    private boolean string(String s) {
        put('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
            put((byte) c);
        }
        put('"');
        return true;
    }

    private boolean word(String word) {
        for (int i = 0, n = word.length(); i < n; i++) {
            put((byte) word.charAt(i));
        }
        return true;
    }

    private void integer(long value) {
        if (value < 0) {
            put('-');
        }
        // Work on the negative value, so that Long.MIN_VALUE has a magnitude too.
        long negative = value < 0 ? value : -value;
        int digits = 1;
        for (long rest = negative / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int last = position + digits - 1;
        for (int i = last; i >= position; i--) {
            putAt(i, (byte) ('0' - negative % 10));
            negative /= 10;
        }
        position += digits;
    }

    private void put(char ascii) {
        put((byte) ascii);
    }

    private void put(byte b) {
        putAt(position++, b);
    }

    private void putAt(int index, byte b) {
        // Past the end only when the value grew since it was measured: the caller sees the position.
        if (target != null && index < target.length) {
            if (comparing) {
                differs |= target[index] != b;
            } else {
                target[index] = b;
            }
        }
    }
}
