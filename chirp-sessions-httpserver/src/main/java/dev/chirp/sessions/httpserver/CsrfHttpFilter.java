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
 */
public final class CsrfHttpFilter extends Filter {

    /** The largest URL-encoded body read to find the token field: 1 MiB. */
    public static final int MAX_FORM_BYTES = 1 << 20;

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
