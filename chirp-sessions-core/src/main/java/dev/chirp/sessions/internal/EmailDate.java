package dev.chirp.sessions.internal;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * werkzeug's {@code http.parse_date}, which Flask's {@code " d"} tag calls: Python's
 * {@code email.utils.parsedate_to_datetime} (RFC 2822 and the older forms mail software writes: any or
 * no weekday, two-digit years, RFC 850 dashes, asctime order, North American zone names), with
 * {@code None} where that raises {@code TypeError} or {@code ValueError} and UTC for a date without a
 * zone. Lenient on purpose: it decodes exactly what Flask decodes, so the two sides agree on a shared
 * session.
 */
final class EmailDate {

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec", "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    // email._parseaddr._timezones, in hours and minutes as written (-500 is five hours west).
    private static final Map<String, Integer> ZONES = Map.ofEntries(Map.entry("UT", 0), Map.entry("UTC", 0),
            Map.entry("GMT", 0), Map.entry("Z", 0), Map.entry("AST", -400), Map.entry("ADT", -300),
            Map.entry("EST", -500), Map.entry("EDT", -400), Map.entry("CST", -600), Map.entry("CDT", -500),
            Map.entry("MST", -700), Map.entry("MDT", -600), Map.entry("PST", -800), Map.entry("PDT", -700));
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    // timedelta's range: beyond it, timedelta(seconds=...) raises OverflowError, which werkzeug lets through.
    private static final BigInteger MAX_DELTA_SECONDS = BigInteger.valueOf(999_999_999L * 86_400 + 86_399);

    private EmailDate() {
    }

    /**
     * {@code parse_date(value)} for a value as the tag holds it: {@code null} for Python's {@code None}.
     *
     * @throws IllegalArgumentException where Flask raises (a value Python cannot split, a number too large
     *                                  for C, an index into an empty part)
     */
    static FlaskTags.DateTime parseDate(Object value) {
        if (value == null || isFalsy(value)) {
            return null; // _parsedate_tz returns None, parsedate_to_datetime raises ValueError
        }
        if (value instanceof byte[]) {
            return null; // bytes.split() works, then bytes.endswith(',') raises TypeError
        }
        String text;
        if (value instanceof String) {
            text = (String) value;
        } else if (value instanceof FlaskTags.Markup) {
            text = ((FlaskTags.Markup) value).text();
        } else {
            throw new IllegalArgumentException("\" d\" must hold a string"); // AttributeError: no split()
        }
        BigInteger[] parsed = parsedateTz(text);
        if (parsed == null) {
            return null;
        }
        BigInteger tz = parsed[6];
        int offset = 0;
        if (tz != null) {
            if (tz.abs().compareTo(MAX_DELTA_SECONDS) > 0) {
                throw new IllegalArgumentException("\" d\" has a zone offset beyond Python's timedelta");
            }
            if (tz.abs().compareTo(BigInteger.valueOf(86_400)) >= 0) {
                return null; // timezone() refuses an offset of a day or more: ValueError
            }
            offset = tz.intValue();
        }
        int[] fields = new int[6];
        for (int i = 0; i < 6; i++) {
            if (parsed[i].compareTo(INT_MIN) < 0 || parsed[i].compareTo(INT_MAX) > 0) {
                throw new IllegalArgumentException("\" d\" has a number too large for datetime"); // OverflowError
            }
            fields[i] = parsed[i].intValue();
        }
        if (fields[0] < 1 || fields[0] > 9999) {
            return null;
        }
        try {
            return new FlaskTags.DateTime(LocalDateTime.of(fields[0], fields[1], fields[2], fields[3], fields[4],
                    fields[5]), offset);
        } catch (DateTimeException e) {
            return null; // datetime() raises ValueError: day, hour, minute or second out of range
        }
    }

    private static boolean isFalsy(Object value) {
        if (value instanceof Boolean) {
            return !(Boolean) value;
        }
        if (value instanceof Double) {
            return (Double) value == 0.0;
        }
        if (value instanceof BigInteger) {
            return ((BigInteger) value).signum() == 0;
        }
        if (value instanceof Number) {
            return ((Number) value).longValue() == 0;
        }
        if (value instanceof String) {
            return ((String) value).isEmpty();
        }
        if (value instanceof FlaskTags.Markup) {
            return ((FlaskTags.Markup) value).text().isEmpty();
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).length == 0;
        }
        if (value instanceof List) {
            return ((List<?>) value).isEmpty();
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).isEmpty();
        }
        return false;
    }

    /**
     * {@code email._parseaddr._parsedate_tz}, step by step: year, month, day, hour, minute, second, then
     * the zone offset in seconds ({@code null} for none or {@code -0000}); {@code null} where it returns
     * {@code None}.
     */
    private static BigInteger[] parsedateTz(String text) {
        List<String> data = new ArrayList<>(PythonText.split(text));
        if (data.isEmpty()) {
            return null;
        }
        if (data.get(0).endsWith(",") || DAYS.contains(data.get(0).toLowerCase(Locale.ROOT))) {
            data.remove(0);
        } else {
            int comma = data.get(0).lastIndexOf(',');
            if (comma >= 0) {
                data.set(0, data.get(0).substring(comma + 1));
            }
        }
        if (data.size() == 3) { // RFC 850: 21-Oct-15
            List<String> stuff = Arrays.asList(data.get(0).split("-", -1));
            if (stuff.size() == 3) {
                List<String> joined = new ArrayList<>(stuff);
                joined.addAll(data.subList(1, data.size()));
                data = joined;
            }
        }
        if (data.size() == 4) {
            String s = data.get(3);
            int sign = s.indexOf('+');
            if (sign == -1) {
                sign = s.indexOf('-');
            }
            if (sign > 0) {
                data.set(3, s.substring(0, sign));
                data.add(s.substring(sign));
            } else {
                data.add(""); // no zone
            }
        }
        if (data.size() < 5) {
            return null;
        }
        String dd = data.get(0);
        String mm = data.get(1);
        String yy = data.get(2);
        String tm = data.get(3);
        String tz = data.get(4);
        if (dd.isEmpty() || mm.isEmpty() || yy.isEmpty()) {
            return null;
        }
        mm = mm.toLowerCase(Locale.ROOT);
        if (!MONTHS.contains(mm)) {
            String swap = mm;
            mm = dd.toLowerCase(Locale.ROOT);
            dd = swap;
            if (!MONTHS.contains(mm)) {
                return null;
            }
        }
        int month = MONTHS.indexOf(mm) + 1;
        if (month > 12) {
            month -= 12;
        }
        if (dd.endsWith(",")) {
            dd = dd.substring(0, dd.length() - 1);
        }
        if (yy.indexOf(':') > 0) {
            String swap = yy;
            yy = tm;
            tm = swap;
        }
        if (yy.isEmpty()) {
            throw new IllegalArgumentException("\" d\" has an empty year"); // IndexError on yy[-1]
        }
        if (yy.endsWith(",")) {
            yy = yy.substring(0, yy.length() - 1);
            if (yy.isEmpty()) {
                return null;
            }
        }
        if (!PythonText.isDigit(yy.codePointAt(0))) {
            String swap = yy;
            yy = tz;
            tz = swap;
        }
        if (tm.isEmpty()) {
            throw new IllegalArgumentException("\" d\" has an empty time"); // IndexError on tm[-1]
        }
        if (tm.endsWith(",")) {
            tm = tm.substring(0, tm.length() - 1);
        }
        String[] parts = tm.split(":", -1);
        String thh;
        String tmm;
        String tss;
        if (parts.length == 2) {
            thh = parts[0];
            tmm = parts[1];
            tss = "0";
        } else if (parts.length == 3) {
            thh = parts[0];
            tmm = parts[1];
            tss = parts[2];
        } else if (parts.length == 1 && tm.indexOf('.') >= 0) {
            parts = tm.split("\\.", -1);
            if (parts.length == 2) {
                thh = parts[0];
                tmm = parts[1];
                tss = "0";
            } else if (parts.length == 3) {
                thh = parts[0];
                tmm = parts[1];
                tss = parts[2];
            } else {
                return null;
            }
        } else {
            return null;
        }
        BigInteger year = PythonText.parseInt(yy, 10);
        BigInteger day = PythonText.parseInt(dd, 10);
        BigInteger hour = PythonText.parseInt(thh, 10);
        BigInteger minute = PythonText.parseInt(tmm, 10);
        BigInteger second = PythonText.parseInt(tss, 10);
        if (year == null || day == null || hour == null || minute == null || second == null) {
            return null;
        }
        if (year.compareTo(BigInteger.valueOf(100)) < 0) {
            // POSIX's rule for two-digit years: 69-99 are 1969-1999, the rest 2000-2068.
            year = year.add(BigInteger.valueOf(year.compareTo(BigInteger.valueOf(68)) > 0 ? 1900 : 2000));
        }
        BigInteger offset = null;
        tz = tz.toUpperCase(Locale.ROOT);
        if (ZONES.containsKey(tz)) {
            offset = BigInteger.valueOf(ZONES.get(tz));
        } else {
            offset = PythonText.parseInt(tz, 10);
            if (offset != null && offset.signum() == 0 && tz.startsWith("-")) {
                offset = null; // -0000: UTC, source zone unknown
            }
        }
        if (offset != null && offset.signum() != 0) {
            BigInteger[] hm = offset.abs().divideAndRemainder(BigInteger.valueOf(100));
            BigInteger seconds = hm[0].multiply(BigInteger.valueOf(3600)).add(hm[1].multiply(BigInteger.valueOf(60)));
            offset = offset.signum() < 0 ? seconds.negate() : seconds;
        }
        return new BigInteger[] {year, BigInteger.valueOf(month), day, hour, minute, second, offset};
    }
}
