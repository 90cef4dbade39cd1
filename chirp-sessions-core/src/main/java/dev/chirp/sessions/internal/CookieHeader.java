package dev.chirp.sessions.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads cookie values from raw {@code Cookie} request headers. Containers disagree on quoting and
 * on headers with spaces or UTF-8 in other cookies (Jetty strips quotes, Tomcat keeps them; either
 * may drop the header), so adapters pass the raw header text and every server parses it the same way.
 *
 * <p>Parsing is one forward pass: every character is looked at a bounded number of times, whatever
 * the mix of {@code ;}, {@code =}, quotes and spaces. The work per request is also bounded whatever
 * header size the container lets through: at most {@value #MAX_SCANNED_CHARS} characters are read, over
 * all {@code Cookie} headers together, and the rest is ignored. Browsers keep at most 180 cookies of at
 * most 4096 bytes per site, so a real request fits. Within those characters the named cookie is found
 * wherever it is, however many other cookies come first: a page that sets hundreds of junk cookies (a
 * sibling subdomain can set them on the parent domain) must not push the session out. At most
 * {@value #MAX_VALUES} values of the name are kept, since each is then verified; other names cost only the
 * scan.
 */
public final class CookieHeader {

    /**
     * The most values of the named cookie returned per request, over all headers. Browsers send one per
     * domain and path that set it, so a real request has a few.
     */
    public static final int MAX_VALUES = 50;
    /** The most header characters read per request, over all headers: above 180 cookies of 4096 bytes. */
    public static final int MAX_SCANNED_CHARS = 1 << 20;

    private CookieHeader() {
    }

    /**
     * Returns every value of cookie {@code name} in {@code headers}, in order. The same name may appear
     * more than once (a parent-domain cookie beside a host cookie); callers try each.
     */
    public static List<String> values(Iterable<String> headers, String name) {
        if (headers == null) {
            return List.of();
        }
        // Nearly every request has one value: no list is built for it.
        String first = null;
        List<String> found = null;
        int budget = MAX_SCANNED_CHARS;
        int matches = 0;
        for (String header : headers) {
            if (header == null || budget <= 0 || matches >= MAX_VALUES) {
                continue;
            }
            // Characters past the budget are never looked at; a pair cut off by it is not read.
            int length = Math.min(header.length(), budget);
            boolean truncated = length < header.length();
            budget -= length;
            int start = 0;
            while (start < length && matches < MAX_VALUES) {
                // One scan to the end of this segment, noting its first '='.
                int eq = -1;
                int end = start;
                while (end < length) {
                    char c = header.charAt(end);
                    if (c == ';') {
                        break;
                    }
                    if (c == '=' && eq < 0) {
                        eq = end;
                    }
                    end++;
                }
                if (truncated && end == length) {
                    break;
                }
                if (eq > 0) {
                    // Trimming and the name comparison stay inside this segment.
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
                        String value = header.substring(valueStart, valueEnd);
                        matches++;
                        if (first == null) {
                            first = value;
                        } else {
                            if (found == null) {
                                found = new ArrayList<>(4);
                                found.add(first);
                            }
                            found.add(value);
                        }
                    }
                }
                start = end + 1;
            }
        }
        return found != null ? found : first != null ? List.of(first) : List.of();
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
