package dev.chirp.sessions.it;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The session configurations every server under test mounts, one per path prefix, all on one
 * {@link MutableClock}: {@code /app} (defaults), {@code /custom} (another cookie name), {@code /rotated}
 * (a new secret, {@code /app}'s as fallback) and {@code /timeouts} (idle 10 min, absolute 60 min).
 * Servlet containers also mount {@code /initparam}, built by the filter from an init-param.
 */
final class Apps {

    // At least 32 bytes each: a shorter one makes SessionConfig warn, once per middleware, into the build.
    static final String SECRET = "it-secret-4f1c9a7e2b5d8036-0a1b2c3d";
    static final String NEW_SECRET = "it-new-secret-91d2c3b4a5e6f708-9e8d";
    static final String FOREIGN_SECRET = "someone-else's-secret-0000-0000-0000";
    static final String CUSTOM_COOKIE = "custom_sid";
    static final Duration IDLE = Duration.ofMinutes(10);
    static final Duration ABSOLUTE = Duration.ofMinutes(60);

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final Map<String, SessionMiddleware> byPrefix = new LinkedHashMap<>();

    Apps() {
        byPrefix.put("/app", new SessionMiddleware(SessionConfig.builder(SECRET).clock(clock).build()));
        byPrefix.put("/custom", new SessionMiddleware(
                SessionConfig.builder(SECRET).cookieName(CUSTOM_COOKIE).clock(clock).build()));
        byPrefix.put("/rotated", new SessionMiddleware(
                SessionConfig.builder(NEW_SECRET).fallbackSecrets(SECRET).clock(clock).build()));
        byPrefix.put("/timeouts", new SessionMiddleware(SessionConfig.builder(SECRET)
                .idleTimeout(IDLE).absoluteTimeout(ABSOLUTE).clock(clock).build()));
    }

    /** The verified payload of a cookie value signed with {@code secret}, or fails. */
    Map<String, Object> decode(String secret, String cookieValue) {
        LoadResult result = TimedSerializer.builder(secret).clock(clock).build().loads(cookieValue);
        if (!result.isVerified()) {
            throw new AssertionError("cookie does not verify with the expected secret: "
                    + result.rejection().description());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) result.value();
        return payload;
    }

    Map<String, Object> decode(String cookieValue) {
        return decode(SECRET, cookieValue);
    }

    /** A session cookie value made by a middleware with {@code secret}, holding what {@code fill} put. */
    String cookieValue(String secret, Consumer<Map<String, Object>> fill) {
        SessionMiddleware other = new SessionMiddleware(SessionConfig.builder(secret).clock(clock).build());
        SessionRequest request = other.begin((String) null);
        fill.accept(request.session());
        List<String> setCookies = new ArrayList<>();
        request.commit((name, value) -> {
            if (name.equals("Set-Cookie")) {
                setCookies.add(value);
            }
        });
        String header = setCookies.get(0);
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }
}
