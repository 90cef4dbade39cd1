package dev.chirp.sessions.internal;

import dev.chirp.sessions.json.FlaskTuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The few CPython text rules that Flask's tagged JSON leans on when it reads a hostile payload, so that
 * {@link FlaskTags} decodes what Flask decodes: {@code int(text, base)}, {@code str.isspace},
 * {@code str.split()}, and {@code str()}/{@code repr()} of the values a Flask session can hold (for
 * {@code Markup(value)}, which is {@code str(value)}). Facts from CPython 3.11-3.13, written from its
 * documented behaviour.
 */
final class PythonText {

    private PythonText() {
    }

    /** {@code str.isspace()} for one code point (Unicode White_Space plus the ASCII separators 0x1C-0x1F). */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202f || cp == 0x205f || cp == 0x3000;
    }

    /** {@code str.isdigit()} for one code point: decimal digits and other digits such as superscripts. */
    static boolean isDigit(int cp) {
        int type = Character.getType(cp);
        if (type == Character.DECIMAL_DIGIT_NUMBER) {
            return true;
        }
        int value = Character.getNumericValue(cp);
        return type == Character.OTHER_NUMBER && value >= 0 && value <= 9;
    }

    /** {@code text.split()}: the runs of non-whitespace, in order. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    parts.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    /**
     * {@code int(text, base)} for base 10 or 16, or {@code null} where Python raises {@code ValueError}:
     * surrounding whitespace, one sign, {@code 0x} (base 16, then one optional {@code _}), single
     * underscores between digits, and any Unicode decimal digit.
     */
    static BigInteger parseInt(String text, int base) {
        StringBuilder ascii = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isSpace(cp)) {
                ascii.append(' ');
            } else if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
                ascii.append((char) ('0' + Character.digit(cp, 10)));
            } else if (cp < 0x80) {
                ascii.append((char) cp);
            } else {
                return null;
            }
        }
        String s = ascii.toString().strip();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        boolean prefixed = false;
        if (base == 16 && i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            i += 2;
            prefixed = true;
        }
        StringBuilder digits = new StringBuilder(s.length());
        boolean lastUnderscore = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                boolean afterPrefix = prefixed && digits.length() == 0 && !lastUnderscore;
                if (lastUnderscore || (digits.length() == 0 && !afterPrefix)) {
                    return null;
                }
                lastUnderscore = true;
                continue;
            }
            if (Character.digit(c, base) < 0 || c > 'z') {
                return null;
            }
            digits.append(c);
            lastUnderscore = false;
        }
        if (digits.length() == 0 || lastUnderscore) {
            return null;
        }
        BigInteger value = new BigInteger(digits.toString(), base);
        return negative ? value.negate() : value;
    }

    /** {@code str(value)}: the text itself for strings, the hyphenated form of a UUID, else {@link #repr}. */
    static String str(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof FlaskTags.Markup) {
            return ((FlaskTags.Markup) value).text();
        }
        if (value instanceof UUID) {
            return value.toString();
        }
        if (value instanceof FlaskTags.DateTime) {
            return ((FlaskTags.DateTime) value).str();
        }
        return repr(value);
    }

    /** {@code repr(value)} for the values Flask's tagged JSON decodes to. */
    static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? "True" : "False";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Double) {
            return floatRepr((Double) value);
        }
        if (value instanceof String) {
            return stringRepr((String) value);
        }
        if (value instanceof FlaskTags.Markup) {
            return "Markup(" + stringRepr(((FlaskTags.Markup) value).text()) + ")";
        }
        if (value instanceof byte[]) {
            return bytesRepr((byte[]) value);
        }
        if (value instanceof UUID) {
            return "UUID('" + value + "')";
        }
        if (value instanceof FlaskTags.DateTime) {
            return ((FlaskTags.DateTime) value).repr();
        }
        if (value instanceof FlaskTuple) {
            List<?> items = (List<?>) value;
            return "(" + join(items) + (items.size() == 1 ? ",)" : ")");
        }
        if (value instanceof List) {
            return "[" + join((List<?>) value) + "]";
        }
        if (value instanceof Map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return out.append('}').toString();
        }
        throw new IllegalArgumentException("no Python repr for " + value.getClass().getName());
    }

    private static String join(List<?> items) {
        StringBuilder out = new StringBuilder();
        for (Object item : items) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(repr(item));
        }
        return out.toString();
    }

    /**
     * {@code repr(float)}: the shortest digits that read back to the same double, in positional notation
     * when the decimal exponent is in (-4, 16], else as {@code 1e-05} / {@code 1.5e+16}. JDK 19+ gives the
     * shortest digits in {@link Double#toString}; JDK 17 may give one more on rare values.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int point = digits.length() - exact.scale();
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (point > -4 && point <= 16) {
            if (point <= 0) {
                out.append("0.").append("0".repeat(-point)).append(digits);
            } else if (point >= digits.length()) {
                out.append(digits).append("0".repeat(point - digits.length())).append(".0");
            } else {
                out.append(digits, 0, point).append('.').append(digits, point, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = point - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            out.append(e.length() < 2 ? "0" + e : e);
        }
        return out.toString();
    }

    /** {@code repr(str)}: single quotes unless the text has one and no double quote; escapes as CPython. */
    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7f || isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        }
        return out.append(quote).toString();
    }

    /** {@code str.isprintable()} for a non-ASCII code point: not a control, format, surrogate, private, unassigned or separator. */
    private static boolean isPrintable(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /** {@code repr(bytes)}: {@code b'...'} with the same quote rule, non-printable ASCII as {@code \xNN}. */
    static String bytesRepr(byte[] bytes) {
        boolean single = false;
        boolean dbl = false;
        for (byte b : bytes) {
            single |= b == '\'';
            dbl |= b == '"';
        }
        char quote = single && !dbl ? '"' : '\'';
        StringBuilder out = new StringBuilder(bytes.length + 3).append('b').append(quote);
        for (byte raw : bytes) {
            int b = raw & 0xff;
            if (b == quote || b == '\\') {
                out.append('\\').append((char) b);
            } else if (b == '\t') {
                out.append("\\t");
            } else if (b == '\n') {
                out.append("\\n");
            } else if (b == '\r') {
                out.append("\\r");
            } else if (b < 0x20 || b >= 0x7f) {
                out.append(String.format("\\x%02x", b));
            } else {
                out.append((char) b);
            }
        }
        return out.append(quote).toString();
    }
}
