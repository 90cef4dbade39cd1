package dev.chirp.sessions.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decides what counts as a JSON value, so that a bad value is refused where it is put, not at the end of
 * the request. The check runs on every {@code put}: the common (valid) case allocates nothing, and the
 * path of a bad part is worked out only when there is one.
 */
public final class JsonValues {

    /** The deepest nesting of lists and maps, the session itself counting as the first level. */
    public static final int MAX_DEPTH = 64;
    /** The most digits of an integer or decimal. */
    public static final int MAX_NUMBER_DIGITS = 1000;
    /** The longest string, in chars. */
    public static final int MAX_STRING_CHARS = 10_000_000;
    // What Json's reader accepts must cover all of the above, so that what put() accepts is read back.

    private JsonValues() {
    }

    /** What to do about a string that holds an unpaired surrogate. */
    private static final String TEXT_FIX = "remove the lone surrogate; it usually comes from cutting a string "
            + "inside an emoji or other character beyond U+FFFF (cut at Character.offsetByCodePoints instead)";

    /**
     * Where the first non-JSON part of a value is, and what is wrong with it, for error messages; never
     * the value itself (it may be secret).
     *
     * @param path the path inside the value, such as {@code [2].when} ({@code (root)} for the value itself)
     * @param type the class name of the offending part, or for a string that is not valid Unicode text
     *             what is wrong with it (an unpaired surrogate, which UTF-8 cannot encode)
     * @param text whether the part is a string that is not valid Unicode text, rather than a wrong type
     */
    public record Invalid(String path, String type, boolean text) {

        /**
         * The message for a string that is not valid Unicode text ({@link #text()}):
         * {@code <subject> must be valid Unicode text: the String at <where> has <problem>; <fix>}.
         */
        public String textMessage(String subject, String where) {
            return subject + " must be valid Unicode text: the String at " + where + " has " + type
                    + ", which UTF-8 cannot encode; " + TEXT_FIX;
        }
    }

    /**
     * The index of the first unpaired surrogate in {@code s}, or -1 if it is valid Unicode text. UTF-8 (the
     * cookie's encoding) cannot encode an unpaired surrogate, and Python's itsdangerous refuses to write
     * one, so a session never holds one.
     */
    public static int unpairedSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Describes the unpaired surrogate at {@code index} of {@code s} without showing the text. */
    public static String describeUnpairedSurrogate(String s, int index) {
        return String.format("an unpaired surrogate U+%04X at index %d", (int) s.charAt(index), index);
    }

    private static boolean isText(String s) {
        return s.length() <= MAX_STRING_CHARS && unpairedSurrogate(s) < 0;
    }

    /**
     * Returns the first non-JSON part of {@code value}, nested {@code depth} containers deep (1 for a
     * value put into the session), or {@code null} if the whole value is JSON.
     *
     * @param nonFinite whether NaN and the infinities count as JSON: Python's {@code json} writes them by
     *                  default, so a session that came from Python with them must be written back
     */
    public static Invalid firstInvalid(Object value, int depth, boolean nonFinite) {
        return firstInvalid(value, depth, nonFinite, false);
    }

    /**
     * Same as {@link #firstInvalid(Object, int, boolean)}; with {@code flaskTypes} also accepts the values
     * Flask's tagged JSON carries: {@code byte[]}, {@link java.util.UUID}, {@link java.time.Instant},
     * {@link java.time.OffsetDateTime} and {@link java.time.ZonedDateTime} (tuples are lists).
     */
    public static Invalid firstInvalid(Object value, int depth, boolean nonFinite, boolean flaskTypes) {
        return isJson(value, nonFinite, flaskTypes, depth) ? null : locate(value, "", depth, nonFinite, flaskTypes);
    }

    /**
     * Checks that {@code value} can be written: JSON values, without NaN or the infinities, which no
     * reader of this library accepts (see {@link Json#read(byte[], int, int)}).
     *
     * @throws IllegalArgumentException naming the path and type of the first part that cannot
     */
    public static void requireWritable(Object value) {
        Invalid bad = firstInvalid(value, 0, false);
        if (bad != null && bad.text()) {
            throw new IllegalArgumentException(bad.textMessage("value", bad.path()));
        }
        if (bad != null) {
            throw new IllegalArgumentException("value must be a JSON value (String, Number, Boolean, null, List, "
                    + "Map with String keys): " + bad.type() + " at " + bad.path()
                    + "; convert it to one of those types first");
        }
    }

    static String describeRefusal(Object value) {
        return "session values must be JSON values: " + value.getClass().getName();
    }

    /**
     * Whether {@code value} could be changed in place behind the session's back: a list or map, or the
     * {@code byte[]} a Flask-profile session holds.
     */
    public static boolean isContainer(Object value) {
        return value instanceof Map || value instanceof List || value instanceof byte[];
    }

    private static boolean isJson(Object value, boolean nonFinite, boolean flaskTypes, int depth) {
        if (isScalar(value, nonFinite) || (flaskTypes && isFlaskScalar(value))) {
            return true;
        }
        if (depth >= MAX_DEPTH) {
            return false; // a container here would be level MAX_DEPTH + 1
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String) || !isText((String) e.getKey())
                        || !isJson(e.getValue(), nonFinite, flaskTypes, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List) {
            for (Object item : (List<?>) value) {
                if (!isJson(item, nonFinite, flaskTypes, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** The slow walk, for a value known to be invalid: builds the path of its first bad part. */
    private static Invalid locate(Object value, String path, int depth, boolean nonFinite, boolean flaskTypes) {
        if (isScalar(value, nonFinite) || (flaskTypes && isFlaskScalar(value))) {
            return null;
        }
        if (depth >= MAX_DEPTH) {
            return new Invalid((path.isEmpty() ? "(root)" : path) + " (nested deeper than " + MAX_DEPTH + ")",
                    value.getClass().getName(), false);
        }
        if (value instanceof Map) {
            int position = 0;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                Object key = e.getKey();
                if (!(key instanceof String)) {
                    String type = key == null ? "null" : key.getClass().getName();
                    return new Invalid(path + "{key " + type + "}", type, false);
                }
                String name = (String) key;
                if (name.length() > MAX_STRING_CHARS) {
                    return new Invalid(path + "{key of " + name.length() + " chars}", "java.lang.String", false);
                }
                int surrogate = unpairedSurrogate(name);
                if (surrogate >= 0) {
                    return new Invalid(path + "{key #" + position + "}", describeUnpairedSurrogate(name, surrogate),
                            true);
                }
                Invalid bad = locate(e.getValue(), path + "." + key, depth + 1, nonFinite, flaskTypes);
                if (bad != null) {
                    return bad;
                }
                position++;
            }
            return null;
        }
        if (value instanceof List) {
            int i = 0;
            for (Object item : (List<?>) value) {
                Invalid bad = locate(item, path + "[" + i + "]", depth + 1, nonFinite, flaskTypes);
                if (bad != null) {
                    return bad;
                }
                i++;
            }
            return null;
        }
        String where = path.isEmpty() ? "(root)" : path;
        if (value instanceof String && ((String) value).length() <= MAX_STRING_CHARS) {
            String text = (String) value;
            return new Invalid(where, describeUnpairedSurrogate(text, unpairedSurrogate(text)), true);
        }
        return new Invalid(where, value.getClass().getName(), false);
    }

    /** The scalars Flask's tagged JSON adds: bytes, UUIDs and datetimes. */
    public static boolean isFlaskScalar(Object value) {
        return value instanceof byte[] || value instanceof UUID || value instanceof Instant
                || value instanceof OffsetDateTime || value instanceof ZonedDateTime;
    }

    private static boolean isScalar(Object value, boolean nonFinite) {
        if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            return true;
        }
        if (value instanceof String) {
            return isText((String) value);
        }
        if (value instanceof BigInteger) {
            // Every number of up to 3321 bits has at most 1000 digits, none of more than 3322 bits does;
            // only the 3322-bit ones need formatting (which is slow for huge numbers).
            int bits = ((BigInteger) value).bitLength();
            return bits <= 3321
                    || (bits == 3322 && ((BigInteger) value).abs().toString().length() <= MAX_NUMBER_DIGITS);
        }
        if (value instanceof BigDecimal) {
            // Read back as a double (as Python does): refuse what would come back as infinity or zero.
            BigDecimal d = (BigDecimal) value;
            if (d.precision() > MAX_NUMBER_DIGITS || Math.abs((long) d.scale()) > MAX_NUMBER_DIGITS) {
                return false;
            }
            double asDouble = d.doubleValue();
            return Double.isFinite(asDouble) && (asDouble != 0.0 || d.signum() == 0);
        }
        if (value instanceof Double || value instanceof Float) {
            return nonFinite || Double.isFinite(((Number) value).doubleValue());
        }
        return false;
    }

    /** Whether any value of {@code data} is a list or map. */
    public static boolean hasContainers(Map<String, Object> data) {
        for (Object v : data.values()) {
            if (isContainer(v)) {
                return true;
            }
        }
        return false;
    }
}
