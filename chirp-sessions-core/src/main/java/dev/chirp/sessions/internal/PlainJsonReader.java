package dev.chirp.sessions.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A single-pass reader for plain JSON, the shape almost every session has: an object or array without
 * whitespace, holding printable-ASCII strings without escapes, integers, {@code true}, {@code false},
 * {@code null} and (a few levels of) nested objects and arrays.
 *
 * <p>It exists because on a one-key session Jackson spends about a quarter of its time setting up a
 * parser (I/O context, buffer recycler, symbol table) before it reads a byte. It builds exactly what
 * {@link Json}'s Jackson path builds from the same bytes ({@link LinkedHashMap} in input order, a later
 * duplicate key replacing the earlier value in place, {@link ArrayList}, the smallest of {@link Integer}
 * and {@link Long} that holds an integer). Anything else it declines, whole, and Jackson reads the input
 * from the start: so it never accepts what Jackson refuses, and every refusal keeps Jackson's message.
 */
final class PlainJsonReader {

    // Deep enough for every session seen in practice, far below Jackson's limit (JsonValues.MAX_DEPTH),
    // and a bound on this reader's recursion.
    private static final int MAX_DEPTH = 16;

    /** Returned inside the reader for input it leaves to Jackson; never escapes the class. */
    private static final Object DECLINED = new Object();

    // Keys repeat from request to request ("user_id", "csrf") and inside one session (a cart's "sku",
    // "qty"), so the last key seen in each slot is reused instead of allocating it again, as Jackson's
    // symbol table does. Sharing Strings between threads without a lock is safe (they are immutable and
    // their fields final); a lost race only costs an allocation. Long keys are not worth a slot.
    private static final int KEY_SLOTS = 512;
    private static final int MAX_CACHED_KEY_BYTES = 48;
    private static final String[] KEYS = new String[KEY_SLOTS];

    private final byte[] bytes;
    private final int end;
    private int position;

    private PlainJsonReader(byte[] bytes, int offset, int end) {
        this.bytes = bytes;
        this.position = offset;
        this.end = end;
    }

    /**
     * Reads the object or array that fills {@code length} bytes of {@code bytes} from {@code offset}, or
     * returns {@code null} if the input is not plain JSON (then Jackson must read it). Never throws for
     * any content of the array's range.
     */
    static Object read(byte[] bytes, int offset, int length) {
        // A top-level scalar is rare and cheap enough for Jackson; requiring a container here also makes
        // null free to mean "declined".
        if (length < 2 || (bytes[offset] != '{' && bytes[offset] != '[')) {
            return null;
        }
        PlainJsonReader reader = new PlainJsonReader(bytes, offset, offset + length);
        Object value = reader.value(0);
        // Trailing bytes (even whitespace) go to Jackson, which decides whether they are allowed.
        return value == DECLINED || reader.position != reader.end ? null : value;
    }

    private Object value(int depth) {
        if (position >= end) {
            return DECLINED;
        }
        switch (bytes[position]) {
            case '"':
                return string();
            case '{':
                return depth < MAX_DEPTH ? object(depth + 1) : DECLINED;
            case '[':
                return depth < MAX_DEPTH ? array(depth + 1) : DECLINED;
            case 't':
                return literal("true") ? Boolean.TRUE : DECLINED;
            case 'f':
                return literal("false") ? Boolean.FALSE : DECLINED;
            case 'n':
                return literal("null") ? null : DECLINED;
            case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
            case '9':
                return integer();
            default:
                return DECLINED;
        }
    }

    private Object object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        position++; // the '{'
        if (position < end && bytes[position] == '}') {
            position++;
            return map;
        }
        while (true) {
            if (position >= end || bytes[position] != '"') {
                return DECLINED;
            }
            Object key = key();
            if (key == DECLINED || position >= end || bytes[position] != ':') {
                return DECLINED;
            }
            position++;
            Object item = value(depth);
            if (item == DECLINED || position >= end) {
                return DECLINED;
            }
            // Jackson's path does the same put, so a duplicate key keeps its first place and the last value.
            map.put((String) key, item);
            byte next = bytes[position++];
            if (next == '}') {
                return map;
            }
            if (next != ',') {
                return DECLINED;
            }
        }
    }

    private Object array(int depth) {
        List<Object> list = new ArrayList<>();
        position++; // the '['
        if (position < end && bytes[position] == ']') {
            position++;
            return list;
        }
        while (true) {
            // A value must follow '[' or ',' here, so "[1,]" (refused by Jackson) is declined below.
            Object item = value(depth);
            if (item == DECLINED || position >= end) {
                return DECLINED;
            }
            list.add(item);
            byte next = bytes[position++];
            if (next == ']') {
                return list;
            }
            if (next != ',') {
                return DECLINED;
            }
        }
    }

    /** A string of printable ASCII (0x20-0x7E) without escapes; anything else is Jackson's to decode or refuse. */
    private Object string() {
        int start = position + 1;
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b == '"') {
                if (i - start > JsonValues.MAX_STRING_CHARS) {
                    return DECLINED; // Jackson decides about strings longer than a session may hold
                }
                position = i + 1;
                // Latin-1 of ASCII bytes is a plain copy into a compact string, with no decoding pass.
                return new String(bytes, start, i - start, StandardCharsets.ISO_8859_1);
            }
            // Bytes >= 0x80 are negative: UTF-8, left to Jackson with control characters, DEL and escapes.
            if (b < 0x20 || b == 0x7f || b == '\\') {
                return DECLINED;
            }
        }
        return DECLINED;
    }

    /** A key: a {@link #string()}, taken from {@link #KEYS} when the same bytes were read before. */
    private Object key() {
        int start = position + 1;
        int hash = 0;
        for (int i = start, last = Math.min(end, start + MAX_CACHED_KEY_BYTES + 1); i < last; i++) {
            byte b = bytes[i];
            if (b == '"') {
                int length = i - start;
                int slot = (hash ^ (hash >>> 9)) & (KEY_SLOTS - 1);
                String cached = KEYS[slot];
                if (cached != null && sameText(cached, start, length)) {
                    position = i + 1;
                    return cached;
                }
                Object key = string();
                if (key != DECLINED) {
                    KEYS[slot] = (String) key;
                }
                return key;
            }
            if (b < 0x20 || b == 0x7f || b == '\\') {
                return DECLINED;
            }
            hash = 31 * hash + b;
        }
        return string(); // too long for a slot, or cut short: string() decides
    }

    private boolean sameText(String s, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (end - position < n) {
            return false;
        }
        for (int i = 1; i < n; i++) { // the first letter chose the word
            if (bytes[position + i] != word.charAt(i)) {
                return false;
            }
        }
        // Whatever follows ("truex", "nullnull") must be ',' or a closing bracket, which the caller checks.
        position += n;
        return true;
    }

    /**
     * An integer of at most 19 digits that fits a long, as {@link Integer} when it fits an int, else
     * {@link Long}: what Jackson's {@code getNumberValue()} returns. Larger ones (BigInteger), fractions,
     * exponents, leading zeros and a lone '-' are declined.
     */
    private Object integer() {
        int i = position;
        boolean negative = bytes[i] == '-';
        if (negative) {
            i++;
        }
        int start = i;
        // Accumulate negatively, as Long.parseLong does, so that Long.MIN_VALUE needs no special case.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long beforeLimit = limit / 10;
        long result = 0;
        while (i < end) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (result < beforeLimit) {
                return DECLINED;
            }
            result *= 10;
            if (result < limit + digit) {
                return DECLINED;
            }
            result -= digit;
            i++;
        }
        int digits = i - start;
        if (digits == 0 || (digits > 1 && bytes[start] == '0')) {
            return DECLINED;
        }
        // A '.', 'e' or 'E' next makes it a float: the caller then finds no ',' or bracket and declines.
        position = i;
        long value = negative ? result : -result;
        if (value == (int) value) {
            return Integer.valueOf((int) value);
        }
        return Long.valueOf(value);
    }
}
