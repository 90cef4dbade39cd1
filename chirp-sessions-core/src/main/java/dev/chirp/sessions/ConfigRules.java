package dev.chirp.sessions;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The rules a {@link SessionConfig} must follow, each failing with {@code <name> must <rule>: <value>; <fix>}. */
final class ConfigRules {

    private static final System.Logger LOG = System.getLogger("dev.chirp.sessions");
    private static final int WEAK_SECRET_BYTES = 32;
    private static final Duration MAX_LIFETIME = Duration.ofDays(400);
    private static final long MAX_CACHE_BYTES = 1L << 30;
    /** Headers the HTTP stack or this library reads on its own: a session token there would be misread. */
    private static final List<String> RESERVED_HEADERS = List.of("Cookie", "Set-Cookie",
            "Authorization", "Proxy-Authorization", "Vary", "Host", "Content-Type", "Content-Length",
            "Transfer-Encoding", "Connection", Csrf.HEADER_NAME);
    private static final String TOKEN_SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

    private ConfigRules() {
    }

    static void check(SessionConfig.Builder b) {
        String secret = b.secretKey;
        if (secret == null || secret.isEmpty()) {
            fail("secretKey must not be empty: " + (secret == null ? "null" : "\"\"")
                    + "; generate one with 'chirp-session keygen' and load it from the environment "
                    + "(for example System.getenv(\"CHIRP_SESSION_SECRET\"))");
        }
        for (int i = 0; i < b.fallbackSecrets.size(); i++) {
            String s = b.fallbackSecrets.get(i);
            if (s == null || s.isEmpty()) {
                fail("fallbackSecrets must not contain an empty secret: entry " + i + " is "
                        + (s == null ? "null" : "\"\"") + "; remove it");
            }
            if (s.equals(secret)) {
                fail("fallbackSecrets must not repeat the current secretKey: entry " + i
                        + " (value hidden); remove it, the current secret is always tried first");
            }
        }

        String name = b.effectiveCookieName();
        if (name == null || name.isEmpty() || !isToken(name)) {
            fail("cookieName must be an RFC 6265 token (visible ASCII, none of ()<>@,;:\\\"/[]?={} or space): "
                    + quote(name) + "; use letters, digits, '-', '_' or '.', such as \"chirp_session\"");
        }
        Duration maxAge = b.maxAge;
        if (maxAge == null || maxAge.getSeconds() < 1 || maxAge.getNano() != 0) {
            fail("maxAge must be a positive whole number of seconds: " + maxAge
                    + "; use Duration.ofSeconds(...), Duration.ofHours(...) or Duration.ofDays(...)");
        }
        if (maxAge.compareTo(MAX_LIFETIME) > 0) {
            fail("maxAge must be at most 400 days: " + maxAge + "; browsers cap cookie lifetimes there "
                    + "(RFC 6265bis), so use Duration.ofDays(400) or less");
        }
        String path = b.path;
        if (path == null || !path.startsWith("/") || hasForbiddenAttributeChars(path)) {
            fail("path must start with '/' and contain no ';', control or non-ASCII characters: "
                    + quote(path) + "; use a plain URL path such as \"/\" or \"/app\"");
        }
        String domain = b.domain;
        if (domain != null && !isHostName(domain)) {
            fail("domain must be a host name (letters, digits, '-' and '.', no scheme, port or path): "
                    + quote(domain) + "; use a name such as \"example.com\", or null for a host-only cookie");
        }
        if (b.sameSite == null) {
            fail("sameSite must not be null: null; use SameSite.LAX (the default), STRICT or NONE");
        }
        if (b.sameSite == SameSite.NONE && !b.secure) {
            fail("sameSite must be LAX or STRICT when secure is false: NONE; browsers reject SameSite=None "
                    + "cookies without Secure, so call secure(true) (and serve over HTTPS) or use SameSite.LAX");
        }
        if (b.partitioned && !b.secure) {
            fail("partitioned must be false when secure is false: true; browsers require Secure on "
                    + "Partitioned cookies, so call secure(true)");
        }
        // Browsers match the prefixes without regard to case (RFC 6265bis), so "__host-" counts too.
        if (name.regionMatches(true, 0, "__Secure-", 0, 9) && !b.secure) {
            fail("cookieName with the __Secure- prefix must be used with secure(true): " + quote(name)
                    + " with secure=false; browsers drop such cookies, so call secure(true) or rename the cookie");
        }
        if (name.regionMatches(true, 0, "__Host-", 0, 7)) {
            if (!b.secure || !"/".equals(path) || domain != null) {
                fail("cookieName with the __Host- prefix must be used with secure(true), path \"/\" and no "
                        + "domain: " + quote(name) + " with secure=" + b.secure + ", path=" + quote(path)
                        + ", domain=" + quote(domain) + "; browsers drop such cookies, so fix those options "
                        + "or use the __Secure- prefix");
            }
        }
        checkTimeout("idleTimeout", b.idleTimeout);
        checkTimeout("absoluteTimeout", b.absoluteTimeout);
        if (b.effectiveSalt() == null) {
            fail("salt must not be null: null; leave it at the default \"itsdangerous\" to stay compatible with chirp");
        }
        Duration skew = b.clockSkew;
        if (skew == null || skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
            fail("clockSkew must be between 0 and 5 minutes: " + skew
                    + "; a few seconds covers real clock drift (default 5 seconds)");
        }
        double threshold = b.refreshThreshold;
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            fail("refreshThreshold must be between 0.0 and 1.0: " + threshold
                    + "; 0 re-issues the cookie on every read, 1 never, 0.5 is the default");
        }
        int maxBytes = b.maxCookieBytes;
        if (maxBytes < 256 || maxBytes > 65536) {
            fail("maxCookieBytes must be between 256 and 65536: " + maxBytes
                    + "; browsers keep cookies up to 4096 bytes, the default");
        }
        if (b.store == null) {
            fail("store must not be null: null; leave the default CookieSessionStore or pass a server-side store");
        }
        if (b.clock == null) {
            fail("clock must not be null: null; leave the default system clock");
        }
        if (b.transport.acceptsHeader()) {
            checkHeaderName(b.headerName);
        }
        long cacheBytes = b.verifiedCookieCacheBytes;
        if (cacheBytes < 0 || cacheBytes > MAX_CACHE_BYTES) {
            fail("verifiedCookieCacheBytes must be between 0 (off) and " + MAX_CACHE_BYTES + " (1 GiB): "
                    + cacheBytes + "; the default, 4 MiB, holds some 3,000 small sessions or 400 large ones");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < WEAK_SECRET_BYTES) {
            LOG.log(Level.WARNING, "chirp-sessions: secretKey is shorter than " + WEAK_SECRET_BYTES
                    + " bytes, which makes offline guessing easier; generate one with 'chirp-session keygen'");
        }
    }

    private static void checkTimeout(String name, Duration timeout) {
        if (timeout != null && (timeout.getSeconds() < 1 || timeout.getNano() != 0)) {
            fail(name + " must be a positive whole number of seconds or null: " + timeout
                    + "; use Duration.ofMinutes(...), or null to turn it off");
        }
        if (timeout != null && timeout.compareTo(MAX_LIFETIME) > 0) {
            fail(name + " must be at most 400 days or null: " + timeout + "; no cookie lives longer, so a "
                    + "longer timeout never applies");
        }
    }

    private static void checkHeaderName(String header) {
        if (header == null || header.isEmpty() || !isToken(header)) {
            fail("headerName must be an RFC 9110 token (visible ASCII, none of ()<>@,;:\\\"/[]?={} or space): "
                    + quote(header) + "; use letters, digits and '-', such as \"" + SessionConfig.DEFAULT_HEADER_NAME
                    + "\"");
        }
        for (String taken : RESERVED_HEADERS) {
            if (taken.equalsIgnoreCase(header)) {
                fail("headerName must not be a header that already has a meaning: " + quote(header) + "; "
                        + "browsers, proxies or the CSRF check would read it too, so use a header of its own "
                        + "such as \"" + SessionConfig.DEFAULT_HEADER_NAME + "\"");
            }
        }
    }

    private static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
        }
        String name = s.startsWith(".") ? s.substring(1) : s;
        return !name.isEmpty() && !name.startsWith(".") && !name.endsWith(".") && !name.contains("..");
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || TOKEN_SEPARATORS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasForbiddenAttributeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == ';') {
                return true;
            }
        }
        return false;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void fail(String message) {
        throw new ConfigurationException(message);
    }
}
