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
 * <p>To write, a first traversal adds up the length from the types and string lengths alone; the second
 * writes, checking every character as it copies it (so each character is looked at once). A value
 * changed by another thread in between is caught by the bounds checks of the second pass: the result is
 * then declined, never malformed. To compare, one traversal compares as it goes and stops at the first
 * difference.
 */
final class PlainJsonWriter {

    // Far below Jackson's own nesting limit, and a bound on this writer's recursion.
    private static final int MAX_DEPTH = 16;
    // Larger values are rare enough to leave to Jackson, and the length sum stays far from overflow.
    private static final long MAX_LENGTH = 64L << 20;

    /** Which ASCII characters Jackson writes as themselves: printable ones but '"' and '\\' ('/' included). */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c = 0x20; c < 0x7f; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    /** Where the bytes go, or what they are compared with. */
    private final byte[] out;
    private final boolean comparing;
    private int position;
    /** Set when comparing found a difference: the traversal then stops, as when it declines. */
    private boolean differs;

    private PlainJsonWriter(byte[] out, boolean comparing) {
        this.out = out;
        this.comparing = comparing;
    }

    /** The JSON of {@code value} if it is plain, or {@code null} if Jackson must write it. */
    static byte[] write(Object value) {
        long length = length(value, 0);
        if (length < 0) {
            return null;
        }
        PlainJsonWriter writer = new PlainJsonWriter(new byte[(int) length], false);
        return writer.value(value, 0) && writer.position == length ? writer.out : null;
    }

    /**
     * Whether {@code value}'s JSON is exactly {@code expected}: {@link Boolean#TRUE} or {@link Boolean#FALSE}
     * when the value is plain, {@code null} if Jackson must decide.
     */
    static Boolean sameAs(Object value, byte[] expected) {
        PlainJsonWriter comparer = new PlainJsonWriter(expected, true);
        if (comparer.value(value, 0)) {
            return comparer.position == expected.length;
        }
        // Stopping at the first difference is safe: everything before it was plain, so Jackson writes the
        // same bytes up to there and differs at the same place (its text for the rest is never shorter than
        // one byte per character, so running past the end is a difference too).
        return comparer.differs ? Boolean.FALSE : null;
    }

    /**
     * The length of {@code value}'s JSON, counting one byte per character (the writing pass declines any
     * other), or -1 if it is not plain.
     */
    private static long length(Object value, int depth) {
        if (value == null) {
            return 4;
        } else if (value instanceof String) {
            return ((String) value).length() + 2L;
        } else if (value instanceof Boolean) {
            return (Boolean) value ? 4 : 5;
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            return digits(((Number) value).longValue());
        } else if (value instanceof Map) {
            if (depth >= MAX_DEPTH) {
                return -1;
            }
            long length = 1; // '{', then ',' or '}' after each entry (or '}' alone)
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                long item = length(e.getValue(), depth + 1);
                if (!(e.getKey() instanceof String) || item < 0) {
                    return -1; // Jackson's path decides what a non-String key means
                }
                length += ((String) e.getKey()).length() + 4L + item; // "key": and the separator
                if (length > MAX_LENGTH) {
                    return -1;
                }
            }
            return ((Map<?, ?>) value).isEmpty() ? 2 : length;
        } else if (value instanceof List) {
            if (depth >= MAX_DEPTH) {
                return -1;
            }
            long length = 1;
            for (Object item : (List<?>) value) {
                long itemLength = length(item, depth + 1);
                if (itemLength < 0) {
                    return -1;
                }
                length += itemLength + 1;
                if (length > MAX_LENGTH) {
                    return -1;
                }
            }
            return ((List<?>) value).isEmpty() ? 2 : length;
        }
        return -1;
    }

    /** The number of characters of {@code value} in decimal, its '-' included. */
    private static int digits(long value) {
        long negative = value < 0 ? value : -value; // Long.MIN_VALUE has no positive counterpart
        int digits = 1;
        for (long bound = -10; digits < 19 && negative <= bound; bound *= 10) {
            digits++;
        }
        return value < 0 ? digits + 1 : digits;
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
            return integer(((Number) value).longValue());
        } else if (value instanceof Map) {
            return depth < MAX_DEPTH && object((Map<?, ?>) value, depth + 1);
        } else if (value instanceof List) {
            return depth < MAX_DEPTH && array((List<?>) value, depth + 1);
        }
        return false;
    }

    private boolean object(Map<?, ?> map, int depth) {
        if (!put('{')) {
            return false;
        }
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String) || (!first && !put(','))) {
                return false;
            }
            first = false;
            if (!string((String) e.getKey()) || !put(':') || !value(e.getValue(), depth)) {
                return false;
            }
        }
        return put('}');
    }

    private boolean array(List<?> list, int depth) {
        if (!put('[')) {
            return false;
        }
        boolean first = true;
        for (Object item : list) {
            if ((!first && !put(',')) || !value(item, depth)) {
                return false;
            }
            first = false;
        }
        return put(']');
    }

    /**
     * A string of printable ASCII other than '"' and '\\', which Jackson writes unchanged; control
     * characters, DEL and everything beyond ASCII are declined rather than re-deciding how Jackson
     * escapes or encodes them.
     */
    private boolean string(String s) {
        int n = s.length();
        int p = position;
        if (n + 2 > out.length - p) {
            differs = comparing;
            return false;
        }
        byte[] out = this.out;
        if (comparing) {
            if (out[p++] != '"') {
                differs = true;
                return false;
            }
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || !PLAIN[c]) {
                    return false;
                }
                if (out[p++] != c) {
                    differs = true;
                    return false;
                }
            }
            position = p;
            return put('"');
        }
        out[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || !PLAIN[c]) {
                return false;
            }
            out[p++] = (byte) c;
        }
        out[p++] = '"';
        position = p;
        return true;
    }

    private boolean word(String word) {
        for (int i = 0, n = word.length(); i < n; i++) {
            if (!put(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean integer(long value) {
        int length = digits(value);
        if (length > out.length - position) {
            differs = comparing;
            return false;
        }
        int p = position + length;
        // From the last digit back, on the negative value, so that Long.MIN_VALUE needs no special case.
        if (value == (int) value) {
            int negative = value < 0 ? (int) value : (int) -value; // int arithmetic: cheaper division
            do {
                putAt(--p, (byte) ('0' - negative % 10));
                negative /= 10;
            } while (negative != 0);
        } else {
            long negative = value < 0 ? value : -value;
            do {
                putAt(--p, (byte) ('0' - negative % 10));
                negative /= 10;
            } while (negative != 0);
        }
        if (value < 0) {
            putAt(--p, (byte) '-');
        }
        position += length;
        return !differs;
    }

    private void putAt(int index, byte b) {
        if (!comparing) {
            out[index] = b;
        } else if (out[index] != b) {
            differs = true;
        }
    }

    private boolean put(char ascii) {
        if (position >= out.length) {
            differs = comparing;
            return false;
        }
        if (comparing) {
            if (out[position] != ascii) {
                differs = true;
                return false;
            }
        } else {
            out[position] = (byte) ascii;
        }
        position++;
        return true;
    }
}
