package dev.chirp.sessions.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats {@code Set-Cookie} header values. Written by hand, not through a container's cookie API:
 * Tomcat drops {@code Partitioned}, Jetty ignores {@code Expires}, and the JDK's
 * {@code RFC_1123_DATE_TIME} writes single-digit days without the zero some parsers require.
 */
public final class SetCookie {

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final String EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT";

    private final String name;
    private final String attributes;
    // Formatting a date costs more than the rest of the header; most cookies of one second share one.
    private volatile CachedDate cachedDate = new CachedDate(Long.MIN_VALUE, "");

    private static final class CachedDate {
        final long epochSecond;
        final String text;

        CachedDate(long epochSecond, String text) {
            this.epochSecond = epochSecond;
            this.text = text;
        }
    }

    /**
     * @param name       the cookie name (already checked to be a token)
     * @param path       the {@code Path}
     * @param domain     the {@code Domain}, or {@code null}
     * @param secure     whether to add {@code Secure}
     * @param httpOnly   whether to add {@code HttpOnly}
     * @param sameSite   the {@code SameSite} value such as {@code Lax}
     * @param partitioned whether to add {@code Partitioned}
     */
    public SetCookie(String name, String path, String domain, boolean secure, boolean httpOnly, String sameSite,
            boolean partitioned) {
        this.name = name;
        StringBuilder a = new StringBuilder();
        a.append("; Path=").append(path);
        if (domain != null) {
            a.append("; Domain=").append(domain);
        }
        if (secure) {
            a.append("; Secure");
        }
        if (httpOnly) {
            a.append("; HttpOnly");
        }
        a.append("; SameSite=").append(sameSite);
        if (partitioned) {
            a.append("; Partitioned");
        }
        this.attributes = a.toString();
    }

    /** A cookie holding {@code value} for {@code maxAgeSeconds} from {@code now}. */
    public String session(String value, long maxAgeSeconds, Instant now) {
        return new StringBuilder(name.length() + value.length() + attributes.length() + 64)
                .append(name).append('=').append(value)
                .append("; Max-Age=").append(maxAgeSeconds)
                .append("; Expires=").append(httpDate(now.getEpochSecond() + maxAgeSeconds))
                .append(attributes)
                .toString();
    }

    private String httpDate(long epochSecond) {
        CachedDate cached = cachedDate;
        if (cached.epochSecond != epochSecond) {
            cached = new CachedDate(epochSecond, HTTP_DATE.format(Instant.ofEpochSecond(epochSecond)));
            cachedDate = cached; // a race only formats the same date twice
        }
        return cached.text;
    }

    /** A cookie that makes the browser delete the session cookie. */
    public String deletion() {
        return name + "=; Max-Age=0; Expires=" + EPOCH + attributes;
    }
}
