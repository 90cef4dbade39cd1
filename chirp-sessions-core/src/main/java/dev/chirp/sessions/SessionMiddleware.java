package dev.chirp.sessions;

import dev.chirp.sessions.internal.EpochSeconds;
import dev.chirp.sessions.internal.SetCookie;
import dev.chirp.sessions.internal.VerifiedCookieCache;
import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.SessionCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP-agnostic core of chirp's {@code SessionMiddleware}, driven by one small adapter per server.
 * Built once at startup from a {@link SessionConfig}; thread-safe; keys are derived here, once.
 *
 * <p>An adapter does four things per request:
 * <pre>{@code
 * SessionRequest session = middleware.begin(rawCookieHeaders);   // cheap: nothing is verified yet
 * try (SessionRequest.Binding ignored = session.bind()) {         // Sessions.get() works in the handler
 *     handler.run();                                              // adapter calls session.commit(addHeader)
 * }                                                               //   just before the response commits
 * session.finish();                                               // reports changes made too late
 * }</pre>
 * {@link SessionRequest#commit} adds {@code Vary: Cookie} and at most one {@code Set-Cookie} through the
 * callback, exactly once per request however often it is called.
 */
public final class SessionMiddleware {

    private final SessionConfig config;
    private final SessionCodec serializer;
    private final SetCookie setCookie;
    private final SessionEvents events;
    /** Null when the configuration turns it off. Per instance: its entries hold this middleware's keys' verdicts. */
    private final VerifiedCookieCache cache;
    private final long maxAgeSeconds;
    private final long clockSkewSeconds;
    /** Read once here: the request path compares numbers, not Optionals of Durations. -1 when off. */
    private final long idleTimeoutSeconds;
    private final long absoluteTimeoutSeconds;
    /** The default store hands back the cookie's own map, which a request may then share with the cache. */
    private final boolean cookieStore;
    /** The {@code Vary} value of a response whose handler touched the session: what the session came from. */
    private final String vary;

    /**
     * Creates the middleware.
     *
     * @throws NullPointerException if {@code config} is null (configuration rules were checked when it
     *                              was built)
     */
    public SessionMiddleware(SessionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.serializer = config.newSerializer();
        this.setCookie = new SetCookie(config.cookieName(), config.path(), config.domain().orElse(null),
                config.secure(), config.httpOnly(), config.sameSite().attributeValue(), config.partitioned());
        this.events = new SessionEvents(config.listeners());
        this.cache = config.verifiedCookieCacheBytes() > 0
                ? new VerifiedCookieCache(config.verifiedCookieCacheBytes()) : null;
        this.maxAgeSeconds = config.maxAge().getSeconds();
        this.clockSkewSeconds = config.clockSkew().getSeconds();
        this.idleTimeoutSeconds = config.idleTimeout().map(Duration::getSeconds).orElse(-1L);
        this.absoluteTimeoutSeconds = config.absoluteTimeout().map(Duration::getSeconds).orElse(-1L);
        this.cookieStore = config.store() instanceof CookieSessionStore;
        SessionTransport transport = config.transport();
        this.vary = !transport.acceptsHeader() ? "Cookie"
                : !transport.acceptsCookie() ? config.headerName() : "Cookie, " + config.headerName();
        if (config.secure() && !config.cookieName().regionMatches(true, 0, "__Host-", 0, 7)) {
            logShadowingRisk(config);
        }
    }

    /**
     * Said once per middleware, at startup: a Secure cookie without the {@code __Host-} prefix can be
     * shadowed by a cookie of the same name that a sibling subdomain sets on the parent domain (or that
     * plain HTTP sets), which the browser may send first. Not a warning: a cookie shared across
     * subdomains ({@code domain} set) cannot have the prefix, and some deployments have no such neighbours.
     */
    private static void logShadowingRisk(SessionConfig config) {
        System.getLogger("dev.chirp.sessions").log(System.Logger.Level.INFO, "chirp-sessions: the Secure cookie "
                + "\"" + config.cookieName() + "\" has no __Host- prefix, so a cookie of the same name set by a sibling "
                + "subdomain or over plain HTTP can shadow it; "
                + (config.domain().isPresent()
                        ? "it is shared with domain " + config.domain().get() + ", which the prefix does not allow, "
                                + "so make sure every host under that domain is trusted"
                        : "name it \"__Host-" + config.cookieName() + "\" (path \"/\", no domain) to rule that out"));
    }

    /** The configuration this middleware was built with. */
    public SessionConfig config() {
        return config;
    }

    /**
     * Starts one request. Pass every raw {@code Cookie} request header value (there may be several, or
     * none); parsing and verification wait until the handler first touches the session.
     */
    public SessionRequest begin(Collection<String> cookieHeaders) {
        return new SessionRequest(this, cookieHeaders == null || !config.transport().acceptsCookie() ? List.of()
                : cookieHeaders, !config.transport().acceptsCookie());
    }

    /**
     * Starts one request that may carry its session in the header of the header transport
     * ({@link SessionConfig#transport()}). Adapters read {@link SessionConfig#headerName()} only when
     * {@link SessionTransport#acceptsHeader()}; with {@link SessionTransport#COOKIE} this is
     * {@link #begin(Collection)}.
     *
     * @param cookieHeaders every raw {@code Cookie} request header value, or {@code null}
     * @param tokenHeaders  every value of the request's {@link SessionConfig#headerName()} header, or
     *                      {@code null} (or empty) when the request did not send it
     */
    public SessionRequest begin(Collection<String> cookieHeaders, Collection<String> tokenHeaders) {
        SessionTransport transport = config.transport();
        boolean header = transport.acceptsHeader()
                && (!transport.acceptsCookie() || (tokenHeaders != null && !tokenHeaders.isEmpty()));
        if (!header) {
            return begin(cookieHeaders);
        }
        return new SessionRequest(this, tokenHeaders == null ? List.of() : tokenHeaders, true);
    }

    /** Same as {@link #begin(Collection)} for a single {@code Cookie} header, which may be {@code null}. */
    public SessionRequest begin(String cookieHeader) {
        return begin(cookieHeader == null ? List.of() : List.of(cookieHeader));
    }

    /**
     * Verifies one cookie value, as {@link SessionCodec#loads(String, java.time.Duration)} with the
     * configured maximum age would. A value verified before is not verified again, but its signing time
     * is checked against the age limits on every call, exactly as the serializer checks it: a cookie that
     * expired meanwhile goes through the serializer, which refuses it with the reason. The value of the
     * result may be shared with the cache: see {@link #payloadOf}.
     */
    LoadResult verify(String cookieValue) {
        return verify(cookieValue, nowSeconds());
    }

    /**
     * As {@link #verify(String)}, with the clock already read.
     *
     * @param nowSeconds the request's clock reading, for the age check of a cached value
     */
    LoadResult verify(String cookieValue, long nowSeconds) {
        VerifiedCookieCache verified = cache;
        if (verified != null) {
            LoadResult hit = verified.get(cookieValue);
            if (hit != null) {
                long age = nowSeconds - hit.signedAt().getEpochSecond();
                if (age <= maxAgeSeconds && age >= -clockSkewSeconds) {
                    return hit;
                }
                // Expired, or (after the clock moved back) too far in the future: refused below, with
                // the serializer's own reason.
            }
        }
        LoadResult result = serializer.loads(cookieValue, config.maxAge());
        if (verified != null && result.isVerified()) {
            verified.put(cookieValue, result);
        }
        return result;
    }

    /**
     * The payload of a verified result as a top-level map for the request, and whether that map is still
     * the cache's. It is shared only when the cache is on and the store is the default
     * {@link CookieSessionStore}, which hands the map back untouched; the session then copies it before
     * its first change ({@link Session}'s copy-on-write), so a request that only reads copies nothing.
     * Any other store gets a map of its own, since its {@code load} may change the one it is given. With
     * the cache on, lists and maps inside the payload are the cache's either way: see
     * {@link #sharesContainers()}.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> payloadOf(LoadResult verified) {
        Map<String, Object> payload = (Map<String, Object>) verified.value();
        return cache == null || cookieStore ? payload : VerifiedCookieCache.shallowCopy(payload);
    }

    /**
     * Whether the store keeps the whole session in the cookie: it cannot merge, so a save hands it
     * {@link SessionChanges#whole()} instead of computing which keys changed.
     */
    boolean cookieStore() {
        return cookieStore;
    }

    /** Whether maps from {@link #payloadOf} are the cache's own top-level maps, to be copied before a change. */
    boolean sharesPayload() {
        return cache != null && cookieStore;
    }

    /**
     * Whether payloads from {@link #payloadOf} share their lists and maps with the cache: the session
     * must then copy them before one can leave it or be replaced.
     */
    boolean sharesContainers() {
        return cache != null;
    }

    /**
     * The configured clock in whole seconds (rounded down, as {@link java.time.Instant#getEpochSecond()}),
     * read without building an {@code Instant}: a request that only reads its session never needs one.
     */
    long nowSeconds() {
        return EpochSeconds.of(config.clock());
    }

    /** The idle timeout in seconds, or -1 when none is configured. */
    long idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    /** The absolute timeout in seconds, or -1 when none is configured. */
    long absoluteTimeoutSeconds() {
        return absoluteTimeoutSeconds;
    }

    /** The verified-cookie cache, or null when turned off; for tests and diagnostics. */
    VerifiedCookieCache cache() {
        return cache;
    }

    SessionCodec serializer() {
        return serializer;
    }

    SetCookie setCookie() {
        return setCookie;
    }

    String vary() {
        return vary;
    }

    SessionEvents events() {
        return events;
    }

    @Override
    public String toString() {
        return "SessionMiddleware[" + config + "]";
    }
}
