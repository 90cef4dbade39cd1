package dev.chirp.sessions.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

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

    /**
     * Returns the path of the first non-JSON part of {@code value} (for example {@code [2].when}), or
     * {@code null} if the whole value is JSON. Non-finite numbers are refused.
     */
    public static String firstInvalidPath(Object value) {
        return firstInvalidPath(value, 0);
    }

    /**
     * Like {@link #firstInvalidPath(Object)} for a value nested {@code depth} containers deep, such as 1
     * for a value put into the session.
     */
    public static String firstInvalidPath(Object value, int depth) {
        return isJson(value, false, depth) ? null : firstInvalid(value, "", depth, false);
    }

    /**
     * Like {@link #firstInvalidPath} but accepts NaN and the infinities, which Python's {@code json}
     * writes by default: a session that came from Python with them must be written back, not refused.
     */
    public static String firstUnwritablePath(Object value) {
        return isJson(value, true, 0) ? null : firstInvalid(value, "", 0, true);
    }

    /** The type name of the first non-JSON part, for error messages; never the value itself (it may be secret). */
    public static String firstInvalidType(Object value) {
        return firstInvalidType(value, 0);
    }

    /** Like {@link #firstInvalidType(Object)} for a value nested {@code depth} containers deep. */
    public static String firstInvalidType(Object value, int depth) {
        Object bad = firstInvalidValue(value, depth);
        return bad == null ? "null" : bad.getClass().getName();
    }

    static String describeRefusal(Object value) {
        return "session values must be JSON values: " + value.getClass().getName();
    }

    /** Whether {@code value} holds any list or map, i.e. could be changed in place behind the session's back. */
    public static boolean isContainer(Object value) {
        return value instanceof Map || value instanceof List;
    }

    private static boolean isJson(Object value, boolean nonFinite, int depth) {
        if (isScalar(value, nonFinite)) {
            return true;
        }
        if (depth >= MAX_DEPTH) {
            return false; // a container here would be level MAX_DEPTH + 1
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String) || ((String) e.getKey()).length() > MAX_STRING_CHARS
                        || !isJson(e.getValue(), nonFinite, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List) {
            for (Object item : (List<?>) value) {
                if (!isJson(item, nonFinite, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String firstInvalid(Object value, String path, int depth, boolean nonFinite) {
        if (isScalar(value, nonFinite)) {
            return null;
        }
        if (depth >= MAX_DEPTH) {
            return (path.isEmpty() ? "(root)" : path) + " (nested deeper than " + MAX_DEPTH + ")";
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    return path + "{key " + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + "}";
                }
                if (((String) e.getKey()).length() > MAX_STRING_CHARS) {
                    return path + "{key of " + ((String) e.getKey()).length() + " chars}";
                }
                String bad = firstInvalid(e.getValue(), path + "." + e.getKey(), depth + 1, nonFinite);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }
        if (value instanceof List) {
            int i = 0;
            for (Object item : (List<?>) value) {
                String bad = firstInvalid(item, path + "[" + i + "]", depth + 1, nonFinite);
                if (bad != null) {
                    return bad;
                }
                i++;
            }
            return null;
        }
        return path.isEmpty() ? "(root)" : path;
    }

    private static Object firstInvalidValue(Object value, int depth) {
        if (isScalar(value, false)) {
            return null;
        }
        if (depth >= MAX_DEPTH) {
            return value;
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    return e.getKey();
                }
                Object bad = firstInvalidValue(e.getValue(), depth + 1);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }
        if (value instanceof List) {
            for (Object item : (List<?>) value) {
                Object bad = firstInvalidValue(item, depth + 1);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }
        return value;
    }

    private static boolean isScalar(Object value, boolean nonFinite) {
        if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            return true;
        }
        if (value instanceof String) {
            return ((String) value).length() <= MAX_STRING_CHARS;
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
