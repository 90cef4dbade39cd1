package dev.chirp.sessions.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.CsrfGuard;
import dev.chirp.sessions.NoActiveSessionException;
import dev.chirp.sessions.Session;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A filter for the JDK's {@code com.sun.net.httpserver} that refuses cross-site request forgeries as
 * chirp's {@code CSRFMiddleware} does: a POST, PUT, PATCH or DELETE must carry the session's token
 * ({@link Csrf#token()}) in the {@value Csrf#HEADER_NAME} header or the {@value Csrf#FIELD_NAME} field of
 * a URL-encoded form, or it gets a {@code 403} with a plain-text reason and the handler never runs. Add
 * it after {@link SessionHttpFilter}:
 *
 * <pre>{@code
 * context.getFilters().add(new SessionHttpFilter(middleware));
 * context.getFilters().add(new CsrfHttpFilter(CsrfGuard.standard()));
 * }</pre>
 *
 * <p>To read the form field the filter reads the body (up to {@value #MAX_FORM_BYTES} bytes; a larger
 * form without the header gets a {@code 413}) and hands the handler a fresh stream over the same bytes, so
 * handlers that parse the body themselves keep working. Multipart forms are not parsed: they send the
 * header.
 *
 * <p>Exempt paths are matched on the decoded path, and only once it is unambiguous: the JDK server hands
 * the path over as the client wrote it, so a checked request whose path has a dot segment ({@code .} or
 * {@code ..}, also written {@code %2e}) or an encoded slash or backslash ({@code %2F}, {@code %5C}) is
 * refused with a {@code 403}. Otherwise {@code POST /api/../account} would pass an exemption for
 * {@code /api/*} and reach whatever handler resolves the dots. Browsers never send such paths.
 */
public final class CsrfHttpFilter extends Filter {

    /** The largest URL-encoded body read to find the token field: 1 MiB. */
    public static final int MAX_FORM_BYTES = 1 << 20;

    static final String AMBIGUOUS_PATH = "CSRF check refused an ambiguous path: a state-changing request's path "
            + "must not hold dot segments (. or ..) or encoded slashes (%2F, %5C); send the path as a browser would";

    private final CsrfGuard guard;

    /**
     * Creates the filter.
     *
     * @throws NullPointerException if {@code guard} is null
     */
    public CsrfHttpFilter(CsrfGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (guard.isChecked(method, null) && isAmbiguous(exchange.getRequestURI().getRawPath(), path)) {
            refuse(exchange, 403, AMBIGUOUS_PATH);
            return;
        }
        if (!guard.isChecked(method, path)) {
            chain.doFilter(exchange);
            return;
        }
        Session session;
        try {
            session = SessionHttpFilter.session(exchange);
        } catch (NoActiveSessionException e) {
            throw new IllegalStateException("CsrfHttpFilter must run after SessionHttpFilter: the request to "
                    + path + " has no chirp session; add SessionHttpFilter to the context's filters first", e);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String header = exchange.getRequestHeaders().getFirst(Csrf.HEADER_NAME);
        byte[] form = null;
        if (header == null && CsrfGuard.isUrlEncodedForm(contentType)) {
            form = readUpTo(exchange.getRequestBody(), MAX_FORM_BYTES + 1);
            if (form.length > MAX_FORM_BYTES) {
                refuse(exchange, 413, "form too large to look for the CSRF token (over " + MAX_FORM_BYTES
                        + " bytes): send the token in the " + Csrf.HEADER_NAME + " header");
                return;
            }
            // The handler reads the same bytes again, as if nobody had touched the body.
            exchange.setStreams(new ByteArrayInputStream(form), null);
        }
        byte[] body = form;
        CsrfGuard.Result result = guard.check(method, path, session, contentType, header,
                () -> field(body, Csrf.FIELD_NAME));
        if (result.isRefused()) {
            refuse(exchange, 403, result.reason());
            return;
        }
        chain.doFilter(exchange);
    }

    /**
     * Whether a path is one that handlers and the exempt list could read differently: a {@code .} or
     * {@code ..} segment in the decoded path (which catches {@code %2e} too), or an encoded slash or
     * backslash in the raw one. Either would let a path that looks exempt reach another handler.
     */
    static boolean isAmbiguous(String rawPath, String decodedPath) {
        if (rawPath == null || decodedPath == null) {
            return false;
        }
        for (int i = 0; i + 2 < rawPath.length(); i++) {
            if (rawPath.charAt(i) == '%') {
                char hi = rawPath.charAt(i + 1);
                char lo = Character.toUpperCase(rawPath.charAt(i + 2));
                if ((hi == '2' && lo == 'F') || (hi == '5' && lo == 'C')) {
                    return true;
                }
            }
        }
        if (decodedPath.indexOf('\\') >= 0) {
            return true;
        }
        int start = 0;
        while (start <= decodedPath.length()) {
            int slash = decodedPath.indexOf('/', start);
            int end = slash < 0 ? decodedPath.length() : slash;
            int length = end - start;
            if ((length == 1 || length == 2) && decodedPath.startsWith("..".substring(0, length), start)) {
                return true;
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return false;
    }

    private static void refuse(HttpExchange exchange, int status, String reason) throws IOException {
        byte[] text = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, text.length);
        try (var out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    private static byte[] readUpTo(InputStream in, int limit) throws IOException {
        return in.readNBytes(limit);
    }

    /** The first value of {@code name} in a URL-encoded body, or {@code null}; malformed escapes count as absent. */
    static String field(byte[] body, String name) {
        if (body == null) {
            return null;
        }
        String text = new String(body, StandardCharsets.ISO_8859_1); // bytes as chars; decoding comes after
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (decode(key).equals(name)) {
                    return eq < 0 ? "" : decode(pair.substring(eq + 1));
                }
            } catch (IllegalArgumentException malformed) {
                // A broken escape in another field is the handler's business, not a reason to fail here.
            }
        }
        return null;
    }

    private static String decode(String s) {
        return URLDecoder.decode(new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
    }

    @Override
    public String description() {
        return "chirp CSRF guard (" + guard + ")";
    }
}
