package dev.chirp.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP-agnostic CSRF check of chirp's {@code CSRFMiddleware}, used by the server adapters
 * ({@code dev.chirp.sessions.servlet.CsrfFilter}, {@code dev.chirp.sessions.httpserver.CsrfHttpFilter}):
 * a POST, PUT, PATCH or DELETE must carry the session's {@link Csrf} token in the header
 * {@value Csrf#HEADER_NAME} or, for a URL-encoded form, in the field {@value Csrf#FIELD_NAME}; otherwise
 * it is refused with a 403. Safe methods and exempt paths are not checked and do not touch the session;
 * neither is a request whose session travels in the header transport's header
 * ({@link Session#carriedByHeader()}): its cookies were not read, so a forged cross-site request, which a
 * browser sends with cookies but never with a custom header, finds no session to act on.
 * Tokens are compared in constant time. Immutable and thread-safe.
 */
public final class CsrfGuard {

    private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Set<String> exactPaths;
    private final Set<String> pathPrefixes;

    private CsrfGuard(Builder builder) {
        Set<String> exact = new LinkedHashSet<>();
        Set<String> prefixes = new LinkedHashSet<>();
        for (String path : builder.exemptPaths) {
            if (path.endsWith("/*")) {
                prefixes.add(path.substring(0, path.length() - 1));
            } else {
                exact.add(path);
            }
        }
        this.exactPaths = Set.copyOf(exact);
        this.pathPrefixes = Set.copyOf(prefixes);
    }

    /** A guard without exempt paths. */
    public static CsrfGuard standard() {
        return builder().build();
    }

    /** Starts a guard configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** The outcome of {@link #check}. */
    public enum Result {
        /** Not checked (a safe method or an exempt path) or the token matched: let the request through. */
        ALLOWED(null),
        /** An unsafe request without a token: refuse it with a 403. */
        MISSING("CSRF token missing: send the page's token (Csrf.token()) in the X-CSRF-Token header or the "
                + "_csrf_token form field"),
        /** An unsafe request whose token is not this session's: refuse it with a 403. */
        INVALID("CSRF token invalid: it is not this session's token; reload the page to get the current one");

        private final String reason;

        Result(String reason) {
            this.reason = reason;
        }

        /** Whether the request must be refused with a 403. */
        public boolean isRefused() {
            return this != ALLOWED;
        }

        /** Why the request is refused, for the 403 body (no token in it); {@code null} for {@link #ALLOWED}. */
        public String reason() {
            return reason;
        }
    }

    /**
     * Checks one request.
     *
     * @param method      the request method; only POST, PUT, PATCH and DELETE are checked
     * @param path        the request path within the application (without the context path)
     * @param session     the request's session, read only when the request is checked
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @param headerToken the {@value Csrf#HEADER_NAME} header, or {@code null}
     * @param formToken   reads the {@value Csrf#FIELD_NAME} field of a URL-encoded body; called only when
     *                    the header is absent and the body is such a form
     * @return whether to let the request through, and why not
     */
    public Result check(String method, String path, Session session, String contentType, String headerToken,
            Supplier<String> formToken) {
        if (!isChecked(method, path) || session.carriedByHeader()) {
            return Result.ALLOWED;
        }
        String submitted = headerToken;
        if (submitted == null && isUrlEncodedForm(contentType)) {
            submitted = formToken.get();
        }
        if (submitted == null) {
            return Result.MISSING;
        }
        Object expected = session.get(Csrf.SESSION_KEY);
        if (!(expected instanceof String token) || token.isEmpty()) {
            return Result.INVALID; // chirp would mint a new token here, which the request cannot know either
        }
        boolean same = MessageDigest.isEqual(submitted.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
        return same ? Result.ALLOWED : Result.INVALID;
    }

    /** Whether a request with this method and path is checked at all (and so touches the session). */
    public boolean isChecked(String method, String path) {
        if (method == null || !UNSAFE_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            return false;
        }
        if (path == null) {
            return true;
        }
        if (exactPaths.contains(path)) {
            return false;
        }
        for (String prefix : pathPrefixes) {
            if (path.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code contentType} is {@code application/x-www-form-urlencoded}, parameters allowed. */
    public static boolean isUrlEncodedForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/x-www-form-urlencoded");
    }

    @Override
    public String toString() {
        return "CsrfGuard[exempt=" + exactPaths + ", exemptPrefixes=" + pathPrefixes + "]";
    }

    /** Collects the options of a {@link CsrfGuard}. */
    public static final class Builder {
        private final Set<String> exemptPaths = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Paths that are never checked, such as webhooks that authenticate otherwise, as chirp's
         * {@code exempt_paths}; default none. A path ending in {@code /*} exempts everything under it.
         *
         * @throws ConfigurationException if a path does not start with {@code /}
         */
        public Builder exemptPaths(String... paths) {
            for (String path : paths) {
                Objects.requireNonNull(path, "path");
                if (!path.startsWith("/")) {
                    throw new ConfigurationException("exemptPaths must start with '/': '" + path
                            + "'; give the path as the application sees it, for example '/webhooks/stripe'");
                }
                exemptPaths.add(path);
            }
            return this;
        }

        /** Builds the guard. */
        public CsrfGuard build() {
            return new CsrfGuard(this);
        }
    }
}
