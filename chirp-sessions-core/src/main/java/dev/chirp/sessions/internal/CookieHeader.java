package dev.chirp.sessions.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads cookie values from raw {@code Cookie} request headers. Containers disagree on quoting and
 * on headers with spaces or UTF-8 in other cookies (Jetty strips quotes, Tomcat keeps them; either
 * may drop the header), so adapters pass the raw header text and every server parses it the same way.
 */
public final class CookieHeader {

    private CookieHeader() {
    }

    /**
     * Returns every value of cookie {@code name} in {@code headers}, in order. The same name may appear
     * more than once (a parent-domain cookie beside a host cookie); callers try each.
     */
    public static List<String> values(Iterable<String> headers, String name) {
        List<String> found = null;
        if (headers == null) {
            return List.of();
        }
        for (String header : headers) {
            if (header == null) {
                continue;
            }
            int length = header.length();
            int start = 0;
            while (start < length) {
                int end = header.indexOf(';', start);
                if (end < 0) {
                    end = length;
                }
                int eq = header.indexOf('=', start);
                if (eq > 0 && eq < end) {
                    int nameStart = skipSpace(header, start, eq);
                    int nameEnd = trimEnd(header, nameStart, eq);
                    if (nameEnd - nameStart == name.length() && header.startsWith(name, nameStart)) {
                        int valueStart = skipSpace(header, eq + 1, end);
                        int valueEnd = trimEnd(header, valueStart, end);
                        if (valueEnd - valueStart >= 2 && header.charAt(valueStart) == '"'
                                && header.charAt(valueEnd - 1) == '"') {
                            valueStart++;
                            valueEnd--;
                        }
                        if (found == null) {
                            found = new ArrayList<>(2);
                        }
                        found.add(header.substring(valueStart, valueEnd));
                    }
                }
                start = end + 1;
            }
        }
        return found == null ? List.of() : found;
    }

    private static int skipSpace(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
