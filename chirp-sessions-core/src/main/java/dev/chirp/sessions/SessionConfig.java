package dev.chirp.sessions;

import dev.chirp.sessions.signing.FlaskSerializer;
import dev.chirp.sessions.signing.SealedSerializer;
import dev.chirp.sessions.signing.SessionCodec;
import dev.chirp.sessions.signing.TimedSerializer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable session configuration, the Java form of chirp's {@code SessionConfig}. Start with
 * {@link #builder(String)}; every option has chirp's default unless its method says otherwise. All
 * rules are checked by {@link Builder#build()}, which throws a {@link ConfigurationException} naming
 * the rule, the value and the fix. {@link #toString()} never shows a secret.
 */
public final class SessionConfig {

    /** chirp's default cookie name. */
    public static final String DEFAULT_COOKIE_NAME = "chirp_session";
    /** chirp's default lifetime: one day. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);
    /** The default share of a cookie's lifetime after which a read-only request re-issues it. */
    public static final double DEFAULT_REFRESH_THRESHOLD = 0.5;
    /** The default limit on the whole {@code Set-Cookie} header value, in bytes (RFC 6265's minimum). */
    public static final int DEFAULT_MAX_COOKIE_BYTES = 4096;
    /** How many bytes of session JSON each byte of {@link #maxCookieBytes()} may inflate to: 16. */
    public static final int PAYLOAD_BYTES_PER_COOKIE_BYTE = 16;
    /** The fixed upper bound on {@link #maxPayloadBytes()}: 1 MiB, reached from 65536-byte cookies. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    /**
     * The default header of the header transport. Not Spring Session's {@code X-Auth-Token}, which carries
     * a session id and is used by other token schemes too; set {@code headerName("X-Auth-Token")} to keep
     * Spring Session clients unchanged (both clear the token with an empty value).
     */
    public static final String DEFAULT_HEADER_NAME = "X-Session-Token";
    /** The default memory bound of the verified-cookie cache: 4 MiB, some 3,000 small sessions. */
    public static final long DEFAULT_VERIFIED_COOKIE_CACHE_BYTES = 4L * 1024 * 1024;

    private final String secretKey;
    private final List<String> fallbackSecrets;
    private final String cookieName;
    private final Duration maxAge;
    private final String path;
    private final String domain;
    private final boolean secure;
    private final boolean httpOnly;
    private final SameSite sameSite;
    private final boolean partitioned;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final String salt;
    private final Duration clockSkew;
    private final double refreshThreshold;
    private final int maxCookieBytes;
    private final SessionStore store;
    private final SessionVersionLookup sessionVersions;
    private final Clock clock;
    private final List<SessionListener> listeners;
    private final long verifiedCookieCacheBytes;
    private final SessionFormat format;
    private final SessionTransport transport;
    private final String headerName;

    private SessionConfig(Builder b) {
        this.secretKey = b.secretKey;
        this.fallbackSecrets = List.copyOf(b.fallbackSecrets);
        this.format = b.format;
        this.cookieName = b.effectiveCookieName();
        this.maxAge = b.maxAge;
        this.path = b.path;
        this.domain = b.domain;
        this.secure = b.secure;
        this.httpOnly = b.httpOnly;
        this.sameSite = b.sameSite;
        this.partitioned = b.partitioned;
        this.idleTimeout = b.idleTimeout;
        this.absoluteTimeout = b.absoluteTimeout;
        this.salt = b.effectiveSalt();
        this.clockSkew = b.clockSkew;
        this.refreshThreshold = b.refreshThreshold;
        this.maxCookieBytes = b.maxCookieBytes;
        this.store = b.store;
        this.sessionVersions = b.sessionVersions;
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
        this.verifiedCookieCacheBytes = b.verifiedCookieCacheBytes;
        this.transport = b.transport;
        this.headerName = b.headerName;
    }

    /**
     * Starts a configuration signed with {@code secretKey}. Sessions are signed, not encrypted: anyone
     * with the cookie can read it, nobody without the secret can change it; {@code format(SessionFormat.SEALED)}
     * encrypts them too.
     *
     * @param secretKey the current secret; chirp services that share it read the same cookies. Checked
     *                  by {@link Builder#build()}.
     */
    public static Builder builder(String secretKey) {
        return new Builder(secretKey);
    }

    /** Builds the codec that writes and verifies this configuration's cookies, in its {@link #format()}. */
    SessionCodec newSerializer() {
        switch (format) {
            case SEALED:
                return SealedSerializer.builder(secretKey).fallbackSecrets(fallbackSecrets).cookieName(cookieName)
                        .clock(clock).clockSkew(clockSkew).build();
            case FLASK:
                return FlaskSerializer.builder(secretKey).fallbackSecrets(fallbackSecrets).salt(salt)
                        .clock(clock).clockSkew(clockSkew).maxPayloadBytes(maxPayloadBytes()).build();
            default:
                break;
        }
        return TimedSerializer.builder(secretKey)
                .fallbackSecrets(fallbackSecrets)
                .salt(salt)
                .clock(clock)
                .clockSkew(clockSkew)
                .maxPayloadBytes(maxPayloadBytes())
                .build();
    }

    /**
     * The most bytes of session JSON a cookie may carry, inflated: {@value #PAYLOAD_BYTES_PER_COOKIE_BYTE}
     * times {@link #maxCookieBytes()}, at most {@value #MAX_PAYLOAD_BYTES} (64 KiB with the defaults).
     * Session data (ids, tokens, flags, text) compresses 2 to 5 times with zlib, so this leaves room
     * for unusually repetitive data while a token signed with a leaked or retired secret can no longer
     * make a request inflate megabytes (zlib reaches about 1000:1). Writing and reading agree: a session
     * over it is refused with {@link SessionTooLargeException} before a cookie is sent, and a cookie over
     * it (from another service sharing the secret) is read as no session.
     */
    public int maxPayloadBytes() {
        return (int) Math.min(MAX_PAYLOAD_BYTES, (long) maxCookieBytes * PAYLOAD_BYTES_PER_COOKIE_BYTE);
    }

    /** The cookie format; default {@link SessionFormat#CHIRP}. */
    public SessionFormat format() {
        return format;
    }

    /** The cookie name; default {@value #DEFAULT_COOKIE_NAME} ({@code session} in the Flask format). */
    public String cookieName() {
        return cookieName;
    }

    /** Where the session token travels; default {@link SessionTransport#COOKIE}. */
    public SessionTransport transport() {
        return transport;
    }

    /**
     * The request and response header of the {@link SessionTransport#HEADER} transport; default
     * {@value #DEFAULT_HEADER_NAME}. Unused with {@link SessionTransport#COOKIE}.
     */
    public String headerName() {
        return headerName;
    }

    /** How long a cookie stays valid after it was last issued; default one day. */
    public Duration maxAge() {
        return maxAge;
    }

    /** The cookie's {@code Path}; default {@code /}. */
    public String path() {
        return path;
    }

    /** The cookie's {@code Domain}, if set; default none (host-only cookie). */
    public Optional<String> domain() {
        return Optional.ofNullable(domain);
    }

    /** Whether the cookie is {@code Secure}; default {@code false}, as in chirp. */
    public boolean secure() {
        return secure;
    }

    /** Whether the cookie is {@code HttpOnly}; default {@code true}. */
    public boolean httpOnly() {
        return httpOnly;
    }

    /** The cookie's {@code SameSite}; default {@link SameSite#LAX}. */
    public SameSite sameSite() {
        return sameSite;
    }

    /** Whether the cookie is {@code Partitioned} (CHIPS); default {@code false}. */
    public boolean partitioned() {
        return partitioned;
    }

    /** How long a session may go unused before it ends, if set; default none. */
    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(idleTimeout);
    }

    /** How long a session may last from its creation, however active, if set; default none. */
    public Optional<Duration> absoluteTimeout() {
        return Optional.ofNullable(absoluteTimeout);
    }

    /** How many fallback secrets verify old cookies (the secrets themselves are never exposed). */
    public int fallbackSecretCount() {
        return fallbackSecrets.size();
    }

    /** The key-derivation salt; default {@code itsdangerous}, as chirp uses. */
    public String salt() {
        return salt;
    }

    /** How far in the future a cookie's signing time may be; default 5 seconds. */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** The share of a cookie's lifetime after which a read-only request re-issues it; default 0.5. */
    public double refreshThreshold() {
        return refreshThreshold;
    }

    /**
     * The limit on the whole {@code Set-Cookie} header value, in bytes; default 4096. With the header
     * transport it limits the token header's value the same way.
     */
    public int maxCookieBytes() {
        return maxCookieBytes;
    }

    /** Where sessions live; default a {@link CookieSessionStore}. */
    public SessionStore store() {
        return store;
    }

    /** The lookup of users' current session versions, if revocation by version is on; default none. */
    public Optional<SessionVersionLookup> sessionVersions() {
        return Optional.ofNullable(sessionVersions);
    }

    /** The clock for signing and timeouts; default the system UTC clock. */
    public Clock clock() {
        return clock;
    }

    /** The listeners that receive session events, in registration order; default none. */
    public List<SessionListener> listeners() {
        return listeners;
    }

    /**
     * The memory bound, in bytes, of the cache of cookie values already verified; 0 when turned off;
     * default 4 MiB.
     */
    public long verifiedCookieCacheBytes() {
        return verifiedCookieCacheBytes;
    }

    @Override
    public String toString() {
        return "SessionConfig[secretKey=(hidden), fallbackSecrets=" + fallbackSecrets.size() + " (hidden)"
                + ", cookieName=" + cookieName + ", maxAge=" + maxAge + ", path=" + path
                + ", domain=" + domain + ", secure=" + secure + ", httpOnly=" + httpOnly
                + ", sameSite=" + sameSite + ", partitioned=" + partitioned
                + ", idleTimeout=" + idleTimeout + ", absoluteTimeout=" + absoluteTimeout
                + ", salt=" + salt + ", clockSkew=" + clockSkew + ", refreshThreshold=" + refreshThreshold
                + ", maxCookieBytes=" + maxCookieBytes + ", store=" + store + ", listeners=" + listeners.size()
                + ", sessionVersions=" + (sessionVersions == null ? "none" : "on")
                + ", verifiedCookieCacheBytes=" + verifiedCookieCacheBytes + ", format=" + format
                + ", transport=" + transport + (transport == SessionTransport.COOKIE ? "" : ", headerName=" + headerName)
                + "]";
    }

    /**
     * Collects options for a {@link SessionConfig}. Setters check what they can at once; rules that
     * involve several options are checked by {@link #build()}.
     */
    public static final class Builder {
        // Package-private: ConfigRules reads them to check the options.
        final String secretKey;
        final List<String> fallbackSecrets = new ArrayList<>();
        SessionFormat format = SessionFormat.CHIRP;
        // null until set: the default depends on the format (Flask's differ from chirp's).
        String cookieName;
        boolean cookieNameSet;
        Duration maxAge = DEFAULT_MAX_AGE;
        String path = "/";
        String domain;
        boolean secure;
        boolean httpOnly = true;
        SameSite sameSite = SameSite.LAX;
        boolean partitioned;
        Duration idleTimeout;
        Duration absoluteTimeout;
        String salt;
        boolean saltSet;
        Duration clockSkew = TimedSerializer.DEFAULT_CLOCK_SKEW;
        double refreshThreshold = DEFAULT_REFRESH_THRESHOLD;
        int maxCookieBytes = DEFAULT_MAX_COOKIE_BYTES;
        SessionStore store = new CookieSessionStore();
        SessionVersionLookup sessionVersions;
        Clock clock = Clock.systemUTC();
        final List<SessionListener> listeners = new ArrayList<>();
        long verifiedCookieCacheBytes = DEFAULT_VERIFIED_COOKIE_CACHE_BYTES;
        SessionTransport transport = SessionTransport.COOKIE;
        String headerName = DEFAULT_HEADER_NAME;

        private Builder(String secretKey) {
            this.secretKey = secretKey;
        }

        /**
         * Older secrets that still verify cookies (never sign them), newest first. A cookie verified by
         * one is re-issued under the current secret. Default none.
         */
        public Builder fallbackSecrets(List<String> secrets) {
            Objects.requireNonNull(secrets, "fallbackSecrets");
            fallbackSecrets.clear();
            fallbackSecrets.addAll(secrets);
            return this;
        }

        /** Same as {@link #fallbackSecrets(List)}. */
        public Builder fallbackSecrets(String... secrets) {
            return fallbackSecrets(List.of(secrets));
        }

        /**
         * The cookie name, an RFC 6265 token; default {@value SessionConfig#DEFAULT_COOKIE_NAME}, or
         * {@code session} (Flask's) in the {@link SessionFormat#FLASK} format.
         */
        public Builder cookieName(String cookieName) {
            this.cookieName = cookieName;
            this.cookieNameSet = true;
            return this;
        }

        /**
         * The cookie format; default {@link SessionFormat#CHIRP}, which chirp reads. {@link SessionFormat#FLASK}
         * shares sessions with a Flask app; {@link SessionFormat#SEALED} encrypts them.
         */
        public Builder format(SessionFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        String effectiveCookieName() {
            if (cookieNameSet) {
                return cookieName;
            }
            return format == SessionFormat.FLASK ? FlaskSerializer.DEFAULT_COOKIE_NAME : DEFAULT_COOKIE_NAME;
        }

        String effectiveSalt() {
            if (saltSet) {
                return salt;
            }
            return format == SessionFormat.FLASK ? FlaskSerializer.DEFAULT_SALT : TimedSerializer.DEFAULT_SALT;
        }

        /** How long a cookie stays valid after it was issued, whole seconds, at least one; default one day. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        /** The cookie's {@code Path}; default {@code /}. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** The cookie's {@code Domain}, or {@code null} for a host-only cookie (the default). */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** Whether the cookie is {@code Secure} (HTTPS only); default {@code false}, as in chirp. */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /** Whether the cookie is hidden from JavaScript; default {@code true}. */
        public Builder httpOnly(boolean httpOnly) {
            this.httpOnly = httpOnly;
            return this;
        }

        /** The cookie's {@code SameSite}; default {@link SameSite#LAX}. {@code NONE} needs {@code secure(true)}. */
        public Builder sameSite(SameSite sameSite) {
            this.sameSite = sameSite;
            return this;
        }

        /** Whether the cookie is {@code Partitioned} (CHIPS); default {@code false}. Needs {@code secure(true)}. */
        public Builder partitioned(boolean partitioned) {
            this.partitioned = partitioned;
            return this;
        }

        /**
         * Ends a session unused for this long (chirp's {@code idle_timeout_seconds}); {@code null} (the
         * default) for none. Stored in the session as {@code __last_seen_at}.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * Ends a session this long after it was created, however active (chirp's
         * {@code absolute_timeout_seconds}); {@code null} (the default) for none. Stored as
         * {@code __created_at}.
         */
        public Builder absoluteTimeout(Duration absoluteTimeout) {
            this.absoluteTimeout = absoluteTimeout;
            return this;
        }

        /**
         * The key-derivation salt; default {@code itsdangerous}, or {@code cookie-session} (Flask's) in the
         * {@link SessionFormat#FLASK} format; not used by {@link SessionFormat#SEALED}. Change it only
         * together with every peer.
         */
        public Builder salt(String salt) {
            this.salt = salt;
            this.saltSet = true;
            return this;
        }

        /** How far in the future a cookie's signing time may be (servers' clocks differ); default 5 seconds. */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        /**
         * The share of a cookie's lifetime (and of the idle timeout) after which a request that only
         * reads the session re-issues the cookie: 0 re-issues on every read, 1 never; default 0.5. A
         * higher value means fewer {@code Set-Cookie} headers and a shorter window in which a slow
         * read-only response can overwrite a concurrent write.
         */
        public Builder refreshThreshold(double refreshThreshold) {
            this.refreshThreshold = refreshThreshold;
            return this;
        }

        /** The limit on the whole {@code Set-Cookie} header value in bytes; default 4096. */
        public Builder maxCookieBytes(int maxCookieBytes) {
            this.maxCookieBytes = maxCookieBytes;
            return this;
        }

        /** Where sessions live; default a new {@link CookieSessionStore}. */
        public Builder store(SessionStore store) {
            this.store = store;
            return this;
        }

        /**
         * Turns on revocation by session version, as chirp's {@code AuthConfig.session_version}: a
         * session holding a {@code user_id} whose {@code _session_version} differs from
         * {@code lookup}'s answer is ended (empty, a deletion cookie). {@link Sessions#login(Object)}
         * then stores the user's current version. Default {@code null}: no check. See
         * {@link SessionVersionLookup} for caching and failures.
         */
        public Builder sessionVersions(SessionVersionLookup lookup) {
            this.sessionVersions = lookup;
            return this;
        }

        /** The clock for signing and timeouts; default {@link Clock#systemUTC()}. For tests. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Adds a listener for session events (created, changed, rejected, ...); call again to add more,
         * they are called in order. Default none, which costs nothing per request.
         *
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(SessionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The memory bound, in bytes (estimated), of the cache of cookie values this middleware already
         * verified; 0 turns it off; default 4 MiB. A browser that sends the same cookie again (every
         * request between two changes of its session) then skips base64, HMAC, inflate and JSON; the
         * cookie's age, clock skew, timeouts and the store are still checked on every request, and each
         * request gets its own copy of the session. Keyed by the whole cookie value, so a changed cookie
         * is verified in full. Cached cookie values stay in memory until evicted: turn the cache off if
         * a heap dump must not hold them.
         */
        public Builder verifiedCookieCacheBytes(long bytes) {
            this.verifiedCookieCacheBytes = bytes;
            return this;
        }

        /**
         * Where the session token travels: a cookie, a request and response header (for API and mobile
         * clients), or either; default {@link SessionTransport#COOKIE}. See {@link SessionTransport}.
         *
         * @throws NullPointerException if {@code transport} is null
         */
        public Builder transport(SessionTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * The header that carries the token with the header transport, an RFC 9110 token that is not a
         * header HTTP or this library already gives a meaning ({@code Cookie}, {@code Authorization},
         * {@code X-CSRF-Token}, ...); default {@value SessionConfig#DEFAULT_HEADER_NAME}. Checked by
         * {@link #build()}.
         */
        public Builder headerName(String headerName) {
            this.headerName = headerName;
            return this;
        }

        /**
         * Checks every rule and builds the configuration.
         *
         * @throws ConfigurationException naming the first broken rule, its value and the fix
         */
        public SessionConfig build() {
            ConfigRules.check(this);
            return new SessionConfig(this);
        }
    }
}
