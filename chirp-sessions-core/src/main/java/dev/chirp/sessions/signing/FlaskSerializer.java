package dev.chirp.sessions.signing;

import dev.chirp.sessions.internal.FlaskTags;
import dev.chirp.sessions.internal.JsonValues;
import dev.chirp.sessions.json.FlaskTuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Signs and verifies sessions as Flask's {@code SecureCookieSessionInterface} does, so that a Java
 * service and a Flask app sharing {@code SECRET_KEY} share the session: itsdangerous'
 * {@code URLSafeTimedSerializer} (see {@link TimedSerializer}) with salt {@value #DEFAULT_SALT},
 * {@code key_derivation="hmac"}, SHA-1, and Flask's tagged JSON.
 *
 * <h2>Tagged JSON, as Java values</h2>
 * <table>
 *   <caption>Flask's tags and the Java values they become</caption>
 *   <tr><th>Python</th><th>tagged JSON</th><th>Java</th></tr>
 *   <tr><td>{@code tuple}</td><td>{@code {" t": [...]}}</td><td>{@link FlaskTuple}</td></tr>
 *   <tr><td>{@code bytes}</td><td>{@code {" b": "base64"}}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code uuid.UUID}</td><td>{@code {" u": "32 hex digits"}}</td><td>{@link UUID}</td></tr>
 *   <tr><td>{@code datetime}</td><td>{@code {" d": "Wed, 21 Oct 2015 07:28:00 GMT"}}</td>
 *       <td>{@link Instant} (written from {@code Instant}, {@code OffsetDateTime} or
 *       {@code ZonedDateTime}; whole seconds, as Flask keeps)</td></tr>
 *   <tr><td>{@code Markup}</td><td>{@code {" m": "html"}}</td><td>{@code String} (read only: Java writes
 *       it back as a plain string, which Flask's templates escape)</td></tr>
 *   <tr><td>a dict whose only key is a tag</td><td>{@code {" di": {"KEY__": ...}}}</td><td>{@code Map}</td></tr>
 * </table>
 * <p>Entries of the session's {@code _flashes} list are written as tuples, as Flask's {@code flash()}
 * writes them, even when given as two-element lists, so that messages flashed in Java show in Flask.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FlaskSerializer implements SessionCodec {

    /** Flask's session salt. */
    public static final String DEFAULT_SALT = "cookie-session";
    /** Flask's session cookie name. */
    public static final String DEFAULT_COOKIE_NAME = "session";

    private static final String FLASHES = "_flashes";
    private static final Set<String> TAGS = Set.of(" di", " t", " b", " m", " u", " d");
    // werkzeug's http_date: RFC 1123 with a two-digit day, always GMT.
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final TimedSerializer signed;

    private FlaskSerializer(TimedSerializer signed) {
        this.signed = signed;
    }

    /**
     * Starts a builder for a serializer that signs with {@code secretKey} (Flask's {@code SECRET_KEY}).
     *
     * @throws IllegalArgumentException if the secret is null or empty
     */
    public static Builder builder(String secretKey) {
        return new Builder(secretKey);
    }

    /**
     * Signs {@code value} in Flask's tagged JSON, stamped {@code signedAt}.
     *
     * @throws IllegalArgumentException if the value holds something that is neither JSON nor one of the
     *                                  Flask types in the table above
     */
    @Override
    public String dumps(Object value, Instant signedAt) {
        JsonValues.Invalid bad = JsonValues.firstInvalid(value, 0, false, true);
        if (bad != null) {
            throw new IllegalArgumentException("value must be a JSON value or a Flask type (byte[], UUID, Instant, "
                    + "OffsetDateTime, ZonedDateTime, FlaskTuple): " + bad.type() + " at " + bad.path()
                    + "; convert it to one of those types first");
        }
        return signed.dumps(tag(value), signedAt);
    }

    @Override
    public LoadResult loads(String cookieValue, Duration maxAge) {
        LoadResult result = signed.loads(cookieValue, maxAge);
        if (!result.isVerified()) {
            return result;
        }
        try {
            return LoadResult.verified(untag(result.value()), result.signedAt(),
                    result.signedWithFallbackSecret() ? 1 : 0, result.compressed());
        } catch (IllegalArgumentException e) {
            return LoadResult.rejected(Rejection.BAD_PAYLOAD);
        }
    }

    /**
     * Converts a session to Flask's tagged JSON, the JSON that goes into the cookie; {@code _flashes}
     * entries of a top-level map become tuples.
     */
    public static Object tag(Object value) {
        if (value instanceof Map && ((Map<?, ?>) value).get(FLASHES) instanceof List) {
            Map<String, Object> session = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                session.put((String) e.getKey(), e.getValue());
            }
            List<Object> flashes = new ArrayList<>();
            for (Object flash : (List<?>) session.get(FLASHES)) {
                flashes.add(flash instanceof List && ((List<?>) flash).size() == 2
                        ? FlaskTuple.copyOf((List<?>) flash) : flash);
            }
            session.put(FLASHES, flashes);
            value = session;
        }
        return tagValue(value);
    }

    private static Object tagValue(Object value) {
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                if (TAGS.contains(only.getKey())) {
                    Map<String, Object> escaped = new LinkedHashMap<>();
                    escaped.put(only.getKey() + "__", tagValue(only.getValue()));
                    return Map.of(" di", escaped);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put((String) e.getKey(), tagValue(e.getValue()));
            }
            return out;
        }
        if (value instanceof FlaskTuple) {
            return Map.of(" t", tagItems((List<?>) value));
        }
        if (value instanceof List) {
            return tagItems((List<?>) value);
        }
        if (value instanceof byte[]) {
            return Map.of(" b", Base64.getEncoder().encodeToString((byte[]) value));
        }
        if (value instanceof UUID) {
            return Map.of(" u", value.toString().replace("-", ""));
        }
        if (value instanceof Instant || value instanceof OffsetDateTime || value instanceof ZonedDateTime) {
            return Map.of(" d", HTTP_DATE.format((TemporalAccessor) value));
        }
        return value;
    }

    private static List<Object> tagItems(List<?> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(tagValue(item));
        }
        return out;
    }

    /**
     * Converts Flask's tagged JSON (as read by a JSON parser) to Java values, innermost first, as Flask's
     * {@code TaggedJSONSerializer.loads} does, also on payloads no Flask app writes: a {@code " t"} over a
     * string or an object gives its characters or keys, {@code " b"} is decoded as Python's lenient
     * {@code b64decode} (characters outside the alphabet skipped, data after complete padding ignored,
     * non-ASCII refused), {@code " u"} as {@code UUID(hex)} (which reads the hex with Python's
     * {@code int(hex, 16)}: a sign, {@code 0x}, underscores and surrounding spaces pass), {@code " d"} as
     * werkzeug's {@code parse_date} (two-digit years, any weekday, zone names such as {@code EST},
     * asctime; {@code null} where it gives {@code None}), {@code " m"} as {@code Markup(value)}, which is
     * {@code str(value)} for a non-string.
     *
     * @throws IllegalArgumentException where Flask's {@code loads} raises (for example {@code " b"} that
     *                                  is not ASCII, or {@code " t"} over a number); such a cookie is refused
     */
    public static Object untag(Object json) {
        return FlaskTags.untag(json);
    }

    @Override
    public String toString() {
        return "FlaskSerializer[" + signed + "]";
    }

    /** Builds a {@link FlaskSerializer}; every option has Flask's default unless stated. */
    public static final class Builder {
        private final TimedSerializer.Builder signed;

        private Builder(String secret) {
            this.signed = TimedSerializer.builder(secret).salt(DEFAULT_SALT)
                    .keyDerivation(TimedSerializer.KeyDerivation.HMAC);
        }

        /**
         * Older secrets that still verify (Flask's {@code SECRET_KEY_FALLBACKS}), tried in the order given.
         *
         * @throws IllegalArgumentException if any is null or empty
         */
        public Builder fallbackSecrets(List<String> secrets) {
            signed.fallbackSecrets(secrets);
            return this;
        }

        /** The salt; default {@value FlaskSerializer#DEFAULT_SALT} (Flask's {@code session_interface.salt}). */
        public Builder salt(String salt) {
            signed.salt(salt);
            return this;
        }

        /** The clock for signing times and ages; default the system UTC clock. */
        public Builder clock(Clock clock) {
            signed.clock(clock);
            return this;
        }

        /**
         * How far in the future a signing time may be; default 5 seconds (Flask accepts none).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder clockSkew(Duration clockSkew) {
            signed.clockSkew(clockSkew);
            return this;
        }

        /**
         * The most bytes a compressed payload may inflate to; default 256 KiB.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            signed.maxPayloadBytes(maxPayloadBytes);
            return this;
        }

        /** Builds the serializer, deriving each secret's key once. */
        public FlaskSerializer build() {
            return new FlaskSerializer(signed.build());
        }
    }
}
