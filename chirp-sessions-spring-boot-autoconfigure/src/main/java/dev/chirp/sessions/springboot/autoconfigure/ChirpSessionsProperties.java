package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.SameSite;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionFormat;
import dev.chirp.sessions.UserSessionRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The {@code chirp.sessions.*} properties: every {@link SessionConfig} option, with Boot's types. A
 * duration without a unit is in seconds ({@code max-age=3600}), a size without a unit in bytes.
 */
@ConfigurationProperties(prefix = "chirp.sessions")
public class ChirpSessionsProperties {

    /**
     * Secret that signs session cookies: at least 32 random bytes, the same on every instance (and on
     * chirp services sharing the sessions). Falls back to the environment variable CHIRP_SESSION_SECRET.
     * Generate one with 'openssl rand -base64 32' or 'chirp-session keygen'.
     */
    private String secret;

    /** Older secrets that still verify cookies (never sign them), newest first, for key rotation. */
    private List<String> fallbackSecrets = new ArrayList<>();

    /**
     * Name of the session cookie, an RFC 6265 token; default chirp_session ("session" with format=flask).
     * Prefer __Host-chirp_session in production: no other host can set a cookie that shadows it. With the
     * __Host- or __Secure- prefix, secure defaults to true.
     */
    private String cookieName;

    /**
     * Cookie format: chirp (signed JSON, readable by chirp and itsdangerous), flask (Flask's session
     * cookie) or sealed (encrypted).
     */
    private SessionFormat format = SessionFormat.CHIRP;

    /** How long a cookie stays valid after it was last issued; whole seconds, at most 400 days. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration maxAge = Duration.ofDays(1);

    /** The cookie's Path attribute. */
    private String path = "/";

    /** The cookie's Domain attribute; unset for a host-only cookie. */
    private String domain;

    /**
     * Whether the cookie is sent over HTTPS only. Turn it on in production. Unset: true when cookie-name
     * has the __Host- or __Secure- prefix (browsers require it), false otherwise.
     */
    private Boolean secure;

    /** Whether the cookie is hidden from JavaScript. */
    private boolean httpOnly = true;

    /** The cookie's SameSite attribute; NONE needs secure=true. */
    private SameSite sameSite = SameSite.LAX;

    /** Whether the cookie is Partitioned (CHIPS); needs secure=true. */
    private boolean partitioned = false;

    /** How long a session may go unused before it ends; unset for no idle timeout. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration idleTimeout;

    /** How long a session may last from its creation, however active; unset for no limit. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration absoluteTimeout;

    /**
     * Key-derivation salt; default itsdangerous ("cookie-session" with format=flask). Change it only
     * together with every service that shares the sessions.
     */
    private String salt;

    /** How far in the future a cookie's signing time may be (servers' clocks differ); 0 to 5 minutes. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration clockSkew = Duration.ofSeconds(5);

    /**
     * Share of the cookie's lifetime after which a request that only reads the session re-issues the
     * cookie: 0 re-issues on every read, 1 never.
     */
    private double refreshThreshold = 0.5;

    /** Limit on the whole Set-Cookie header value, 256 bytes to 64 KB; a larger session fails the request. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxCookieSize = DataSize.ofBytes(4096);

    /**
     * Memory bound of the cache of cookie values already verified, which spares a repeated cookie the
     * HMAC and JSON work; 0 turns it off.
     */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize verifiedCookieCache = DataSize.ofMegabytes(4);

    /**
     * Where session data lives: in the signed cookie, in Redis on Boot's spring.data.redis settings, or in
     * PostgreSQL on Boot's DataSource.
     */
    private StoreType store = StoreType.COOKIE;

    /** Options of the Redis store (the connection itself comes from spring.data.redis.*). */
    private final Redis redis = new Redis();

    /** Options of the PostgreSQL store (the connection itself is Boot's DataSource). */
    @NestedConfigurationProperty
    private final JdbcStoreProperties jdbc = new JdbcStoreProperties();

    /** Options of the servlet filter registration. */
    private final Filter filter = new Filter();

    /** Where session data lives. */
    public enum StoreType {
        /** The whole session in the signed cookie: nothing to operate, up to about 4 KB. */
        COOKIE,
        /** A random id in the cookie, the data in Redis: larger sessions, logout ends them everywhere. */
        REDIS,
        /** A random id in the cookie, the data in a PostgreSQL table on Boot's DataSource. */
        JDBC
    }

    /** Options of the Redis store. */
    public static class Redis {

        /** Prefix of every session key; give each application sharing a Redis its own. */
        private String keyPrefix = "chirp:session:";

        /** How long a request waits for Redis before it fails; unset to use spring.data.redis.timeout, else 2s. */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration commandTimeout;

        /** How many sessions one user may hold; a login past it ends that user's least recently seen ones. */
        private int maxSessionsPerUser = UserSessionRegistry.DEFAULT_MAX_SESSIONS_PER_USER;

        /** How many sessions one user may hold. */
        public int getMaxSessionsPerUser() {
            return maxSessionsPerUser;
        }

        /** Sets how many sessions one user may hold (1 to 10,000). */
        public void setMaxSessionsPerUser(int maxSessionsPerUser) {
            this.maxSessionsPerUser = maxSessionsPerUser;
        }

        /** The prefix of every session key. */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** Sets the prefix of every session key. */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** How long a request waits for Redis, or null for Boot's spring.data.redis.timeout. */
        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        /** Sets how long a request waits for Redis. */
        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }
    }

    /** Options of the servlet filter registration. */
    public static class Filter {

        /**
         * Order of the session filter; the default, Ordered.HIGHEST_PRECEDENCE + 50, runs it ahead of
         * Spring Security (-100) and of every filter that might read the session.
         */
        private int order = ChirpSessionsAutoConfiguration.DEFAULT_FILTER_ORDER;

        /** The filter's order. */
        public int getOrder() {
            return order;
        }

        /** Sets the filter's order. */
        public void setOrder(int order) {
            this.order = order;
        }
    }

    /** The signing secret, or null when not set here. */
    public String getSecret() {
        return secret;
    }

    /** Sets the signing secret. */
    public void setSecret(String secret) {
        this.secret = secret;
    }

    /** Older secrets that still verify cookies. */
    public List<String> getFallbackSecrets() {
        return fallbackSecrets;
    }

    /** Sets the older secrets that still verify cookies. */
    public void setFallbackSecrets(List<String> fallbackSecrets) {
        this.fallbackSecrets = fallbackSecrets;
    }

    /** The cookie name, or null for the format's default. */
    public String getCookieName() {
        return cookieName;
    }

    /** Sets the cookie name. */
    public void setCookieName(String cookieName) {
        this.cookieName = cookieName;
    }

    /** The cookie lifetime. */
    public Duration getMaxAge() {
        return maxAge;
    }

    /** Sets the cookie lifetime. */
    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** The cookie path. */
    public String getPath() {
        return path;
    }

    /** Sets the cookie path. */
    public void setPath(String path) {
        this.path = path;
    }

    /** The cookie domain, or null. */
    public String getDomain() {
        return domain;
    }

    /** Sets the cookie domain. */
    public void setDomain(String domain) {
        this.domain = domain;
    }

    /** Whether the cookie is Secure, or {@code null} when unset (then it follows the cookie name's prefix). */
    public Boolean getSecure() {
        return secure;
    }

    /** Sets whether the cookie is Secure. */
    public void setSecure(Boolean secure) {
        this.secure = secure;
    }

    /**
     * Whether the cookie is Secure as configured: {@code secure} when set, else whether the cookie name has
     * the {@code __Host-} or {@code __Secure-} prefix, which browsers accept only on Secure cookies.
     */
    public boolean effectiveSecure() {
        if (secure != null) {
            return secure;
        }
        return cookieName != null && (cookieName.regionMatches(true, 0, "__Host-", 0, 7)
                || cookieName.regionMatches(true, 0, "__Secure-", 0, 9));
    }

    /** Whether the cookie is HttpOnly. */
    public boolean isHttpOnly() {
        return httpOnly;
    }

    /** Sets whether the cookie is HttpOnly. */
    public void setHttpOnly(boolean httpOnly) {
        this.httpOnly = httpOnly;
    }

    /** The cookie's SameSite. */
    public SameSite getSameSite() {
        return sameSite;
    }

    /** Sets the cookie's SameSite. */
    public void setSameSite(SameSite sameSite) {
        this.sameSite = sameSite;
    }

    /** Whether the cookie is Partitioned. */
    public boolean isPartitioned() {
        return partitioned;
    }

    /** Sets whether the cookie is Partitioned. */
    public void setPartitioned(boolean partitioned) {
        this.partitioned = partitioned;
    }

    /** The idle timeout, or null. */
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /** Sets the idle timeout. */
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** The absolute timeout, or null. */
    public Duration getAbsoluteTimeout() {
        return absoluteTimeout;
    }

    /** Sets the absolute timeout. */
    public void setAbsoluteTimeout(Duration absoluteTimeout) {
        this.absoluteTimeout = absoluteTimeout;
    }

    /** The key-derivation salt, or null for the format's default. */
    public String getSalt() {
        return salt;
    }

    /** Sets the key-derivation salt. */
    public void setSalt(String salt) {
        this.salt = salt;
    }

    /** The clock-skew tolerance. */
    public Duration getClockSkew() {
        return clockSkew;
    }

    /** Sets the clock-skew tolerance. */
    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    /** The refresh threshold. */
    public double getRefreshThreshold() {
        return refreshThreshold;
    }

    /** Sets the refresh threshold. */
    public void setRefreshThreshold(double refreshThreshold) {
        this.refreshThreshold = refreshThreshold;
    }

    /** The limit on the Set-Cookie header value. */
    public DataSize getMaxCookieSize() {
        return maxCookieSize;
    }

    /** Sets the limit on the Set-Cookie header value. */
    public void setMaxCookieSize(DataSize maxCookieSize) {
        this.maxCookieSize = maxCookieSize;
    }

    /** The cookie format. */
    public SessionFormat getFormat() {
        return format;
    }

    /** Sets the cookie format. */
    public void setFormat(SessionFormat format) {
        this.format = format;
    }

    /** The memory bound of the verified-cookie cache. */
    public DataSize getVerifiedCookieCache() {
        return verifiedCookieCache;
    }

    /** Sets the memory bound of the verified-cookie cache. */
    public void setVerifiedCookieCache(DataSize verifiedCookieCache) {
        this.verifiedCookieCache = verifiedCookieCache;
    }

    /** Where session data lives. */
    public StoreType getStore() {
        return store;
    }

    /** Sets where session data lives. */
    public void setStore(StoreType store) {
        this.store = store;
    }

    /** The PostgreSQL store options. */
    public JdbcStoreProperties getJdbc() {
        return jdbc;
    }

    /** The Redis store options. */
    public Redis getRedis() {
        return redis;
    }

    /** The filter registration options. */
    public Filter getFilter() {
        return filter;
    }
}
