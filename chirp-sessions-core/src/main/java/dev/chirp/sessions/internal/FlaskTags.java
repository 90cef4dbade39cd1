package dev.chirp.sessions.internal;

import dev.chirp.sessions.json.FlaskTuple;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decodes Flask's tagged JSON as Flask 3.1 does ({@code flask.json.tag.TaggedJSONSerializer.loads}),
 * including on payloads no Flask app writes but a secret holder can sign: innermost tags first, each
 * tag's {@code to_python} applied to whatever value it holds, with Python's own conversions
 * ({@code tuple(x)}, {@code b64decode(x)}, {@code UUID(x)}, werkzeug's {@code parse_date(x)},
 * {@code Markup(x)}). Where Flask raises (a request to a Flask app would fail with a 500), this throws
 * {@link IllegalArgumentException} and the cookie is refused; where Flask decodes, this gives the same
 * value. The corpus {@code flask-tag-corpus.json} in the core's tests pins each case, and
 * {@code scripts/check-flask-tag-corpus.py} checks it against the real Flask.
 */
public final class FlaskTags {

    private static final Set<String> TAGS = Set.of(" di", " t", " b", " m", " u", " d");
    private static final BigInteger UUID_LIMIT = BigInteger.ONE.shiftLeft(128);

    /** A {@code markupsafe.Markup} while decoding: a string, but {@code repr} shows it as {@code Markup('...')}. */
    record Markup(String text) {
    }

    /**
     * An aware {@code datetime} while decoding: Markup of a date shows its own offset, which the
     * {@link Instant} the session finally holds does not keep.
     */
    record DateTime(LocalDateTime local, int offsetSeconds) {

        Instant instant() {
            return Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds);
        }

        /** {@code str(datetime)}: {@code 2015-10-21 07:28:00-05:00}. */
        String str() {
            return String.format("%04d-%02d-%02d %02d:%02d:%02d%s", local.getYear(), local.getMonthValue(),
                    local.getDayOfMonth(), local.getHour(), local.getMinute(), local.getSecond(), offsetText());
        }

        private String offsetText() {
            int abs = Math.abs(offsetSeconds);
            String text = String.format("%s%02d:%02d", offsetSeconds < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
            return abs % 60 == 0 ? text : text + String.format(":%02d", abs % 60);
        }

        /** {@code repr(datetime)}: seconds only when not zero, then the timezone's repr. */
        String repr() {
            String zone;
            if (offsetSeconds == 0) {
                zone = "datetime.timezone.utc";
            } else {
                int days = Math.floorDiv(offsetSeconds, 86_400);
                int seconds = Math.floorMod(offsetSeconds, 86_400);
                String delta = (days != 0 ? "days=" + days : "")
                        + (days != 0 && seconds != 0 ? ", " : "") + (seconds != 0 ? "seconds=" + seconds : "");
                zone = "datetime.timezone(datetime.timedelta(" + delta + "))";
            }
            return "datetime.datetime(" + local.getYear() + ", " + local.getMonthValue() + ", "
                    + local.getDayOfMonth() + ", " + local.getHour() + ", " + local.getMinute()
                    + (local.getSecond() != 0 ? ", " + local.getSecond() : "") + ", tzinfo=" + zone + ")";
        }
    }

    private FlaskTags() {
    }

    /**
     * Converts tagged JSON (as the JSON reader gives it) to the session's Java values: a tuple becomes a
     * {@link FlaskTuple}, bytes {@code byte[]}, a UUID {@link UUID}, a date an {@link Instant} (or
     * {@code null} where werkzeug's {@code parse_date} gives {@code None}), Markup a {@code String}.
     *
     * @throws IllegalArgumentException where Flask's {@code loads} raises
     */
    public static Object untag(Object json) {
        boolean[] special = new boolean[1];
        Object value = scan(json, special);
        return special[0] ? finish(value) : value;
    }

    private static Object scan(Object json, boolean[] special) {
        if (json instanceof List) {
            List<Object> out = new ArrayList<>(((List<?>) json).size());
            for (Object item : (List<?>) json) {
                out.add(scan(item, special));
            }
            return out;
        }
        if (!(json instanceof Map)) {
            return json;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
            map.put((String) e.getKey(), scan(e.getValue(), special));
        }
        if (map.size() != 1 || !TAGS.contains(map.keySet().iterator().next())) {
            return map;
        }
        String tag = map.keySet().iterator().next();
        Object inner = map.get(tag);
        switch (tag) {
            case " di":
                return dict(inner);
            case " t":
                return tuple(inner);
            case " b":
                return bytes(inner);
            case " m":
                special[0] = true;
                return new Markup(PythonText.str(inner));
            case " u":
                return uuid(inner);
            default: // " d"
                DateTime date = EmailDate.parseDate(inner);
                special[0] |= date != null;
                return date;
        }
    }

    /** Replaces the decoding-time Markup and DateTime by the String and Instant a session holds. */
    private static Object finish(Object value) {
        if (value instanceof Markup) {
            return ((Markup) value).text();
        }
        if (value instanceof DateTime) {
            return ((DateTime) value).instant();
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>(((List<?>) value).size());
            for (Object item : (List<?>) value) {
                out.add(finish(item));
            }
            return value instanceof FlaskTuple ? FlaskTuple.copyOf(out) : out;
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.put((String) e.getKey(), finish(e.getValue()));
            }
            return out;
        }
        return value;
    }

    /** TagDict: {@code key = next(iter(value)); {key[:-2]: value[key]}}; only a non-empty dict survives that. */
    private static Object dict(Object inner) {
        if (!(inner instanceof Map) || ((Map<?, ?>) inner).isEmpty()) {
            throw new IllegalArgumentException("\" di\" must hold a non-empty object");
        }
        Map.Entry<?, ?> first = ((Map<?, ?>) inner).entrySet().iterator().next();
        String key = (String) first.getKey();
        int codePoints = key.codePointCount(0, key.length());
        String cut = codePoints <= 2 ? "" : key.substring(0, key.offsetByCodePoints(0, codePoints - 2));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(cut, first.getValue());
        return out;
    }

    /** TagTuple: {@code tuple(value)}: the items of a list, the characters of a string, the keys of a dict, the ints of bytes. */
    private static FlaskTuple tuple(Object inner) {
        if (inner instanceof List) {
            return FlaskTuple.copyOf((List<?>) inner);
        }
        if (inner instanceof Map) {
            return FlaskTuple.copyOf(new ArrayList<>(((Map<?, ?>) inner).keySet()));
        }
        if (inner instanceof String || inner instanceof Markup) {
            String text = inner instanceof Markup ? ((Markup) inner).text() : (String) inner;
            return FlaskTuple.copyOf(text.codePoints().mapToObj(Character::toString).toList());
        }
        if (inner instanceof byte[]) {
            List<Object> ints = new ArrayList<>();
            for (byte b : (byte[]) inner) {
                ints.add(b & 0xff);
            }
            return FlaskTuple.copyOf(ints);
        }
        throw new IllegalArgumentException("\" t\" must hold something Python can iterate");
    }

    /** TagBytes: {@code base64.b64decode(value)}: an ASCII string or bytes, decoded leniently. */
    private static byte[] bytes(Object inner) {
        byte[] text;
        if (inner instanceof byte[]) {
            text = (byte[]) inner;
        } else if (inner instanceof String || inner instanceof Markup) {
            String s = inner instanceof Markup ? ((Markup) inner).text() : (String) inner;
            text = new byte[s.length()];
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    throw new IllegalArgumentException("\" b\" must hold ASCII");
                }
                text[i] = (byte) s.charAt(i);
            }
        } else {
            throw new IllegalArgumentException("\" b\" must hold a string");
        }
        return base64(text);
    }

    /**
     * {@code binascii.a2b_base64} without strict mode: bytes outside the alphabet are skipped; a pad once
     * two or three characters of a quad are in ends the input if it completes the quad; a quad left with
     * one character, or unfinished, is an error.
     */
    static byte[] base64(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length * 3 / 4 + 3);
        int quad = 0;
        int left = 0;
        int pads = 0;
        for (byte raw : text) {
            int c = raw & 0xff;
            if (c == '=') {
                if (quad >= 2 && quad + ++pads >= 4) {
                    return out.toByteArray();
                }
                continue;
            }
            int v = sextet(c);
            if (v < 0) {
                continue;
            }
            pads = 0;
            switch (quad) {
                case 0:
                    left = v;
                    quad = 1;
                    break;
                case 1:
                    out.write(left << 2 | v >> 4);
                    left = v & 0x0f;
                    quad = 2;
                    break;
                case 2:
                    out.write(left << 4 | v >> 2);
                    left = v & 0x03;
                    quad = 3;
                    break;
                default:
                    out.write(left << 6 | v);
                    quad = 0;
                    break;
            }
        }
        if (quad != 0) {
            throw new IllegalArgumentException(quad == 1 ? "\" b\" has one base64 character too many"
                    : "\" b\" has incorrect padding");
        }
        return out.toByteArray();
    }

    private static int sextet(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    /**
     * TagUUID: {@code UUID(hex)}: {@code urn:} and {@code uuid:} removed anywhere, braces stripped from
     * both ends, hyphens removed; then 32 characters that Python's {@code int(hex, 16)} reads (so a sign,
     * {@code 0x}, underscores and surrounding spaces pass) to a value in [0, 2^128).
     */
    private static UUID uuid(Object inner) {
        if (!(inner instanceof String) && !(inner instanceof Markup)) {
            throw new IllegalArgumentException("\" u\" must hold a string");
        }
        String hex = inner instanceof Markup ? ((Markup) inner).text() : (String) inner;
        hex = hex.replace("urn:", "").replace("uuid:", "");
        int start = 0;
        int end = hex.length();
        while (start < end && (hex.charAt(start) == '{' || hex.charAt(start) == '}')) {
            start++;
        }
        while (end > start && (hex.charAt(end - 1) == '{' || hex.charAt(end - 1) == '}')) {
            end--;
        }
        hex = hex.substring(start, end).replace("-", "");
        BigInteger value = hex.codePointCount(0, hex.length()) == 32 ? PythonText.parseInt(hex, 16) : null;
        if (value == null || value.signum() < 0 || value.compareTo(UUID_LIMIT) >= 0) {
            throw new IllegalArgumentException("\" u\" must hold a UUID as Python's UUID(hex) reads it");
        }
        return new UUID(value.shiftRight(64).longValue(), value.longValue());
    }
}
