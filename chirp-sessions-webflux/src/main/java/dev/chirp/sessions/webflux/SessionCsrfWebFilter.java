package dev.chirp.sessions.webflux;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.CsrfGuard;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A {@link WebFilter} that refuses cross-site request forgeries as chirp's {@code CSRFMiddleware} and the
 * servlet {@code CsrfFilter} do: a POST, PUT, PATCH or DELETE must carry the session's token
 * ({@link Csrf#token(dev.chirp.sessions.Session)}) in the {@value Csrf#HEADER_NAME} header or the
 * {@value Csrf#FIELD_NAME} field of a URL-encoded form, or it gets a {@code 403} with a plain-text reason
 * and the handler never runs. For applications without Spring Security (whose own CSRF protection uses the
 * same session token through {@code SessionServerCsrfTokenRepository}); needs {@link WebFluxSessions} as
 * the session manager.
 *
 * <p>The form is read with {@link ServerWebExchange#getFormData()}, which Spring caches, so handlers still
 * read it with {@code getFormData()} or {@code @ModelAttribute}.
 */
public final class SessionCsrfWebFilter implements WebFilter {

    private final CsrfGuard guard;

    /** A filter with {@link CsrfGuard#standard()}: every unsafe request is checked. */
    public SessionCsrfWebFilter() {
        this(CsrfGuard.standard());
    }

    /**
     * Creates the filter.
     *
     * @throws NullPointerException if {@code guard} is null
     */
    public SessionCsrfWebFilter(CsrfGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String method = request.getMethod().name();
        String path = request.getPath().pathWithinApplication().value();
        if (!guard.isChecked(method, path)) {
            return chain.filter(exchange);
        }
        String contentType = request.getHeaders().getFirst("Content-Type");
        String header = request.getHeaders().getFirst(Csrf.HEADER_NAME);
        // The form is read here, reactively, because the guard asks for it synchronously.
        Mono<String> form = header == null && CsrfGuard.isUrlEncodedForm(contentType)
                ? exchange.getFormData().mapNotNull(data -> data.getFirst(Csrf.FIELD_NAME))
                : Mono.empty();
        return form.map(Optional::of).defaultIfEmpty(Optional.empty())
                .zipWith(WebFluxSessions.session(exchange))
                .flatMap(both -> {
                    CsrfGuard.Result result = guard.check(method, path, both.getT2(), contentType, header,
                            () -> both.getT1().orElse(null));
                    return result.isRefused() ? refuse(exchange.getResponse(), result) : chain.filter(exchange);
                });
    }

    private static Mono<Void> refuse(ServerHttpResponse response, CsrfGuard.Result result) {
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(new MediaType("text", "plain", StandardCharsets.UTF_8));
        DataBuffer body = response.bufferFactory().wrap((result.reason() + "\n").getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }

    @Override
    public String toString() {
        return "SessionCsrfWebFilter[" + guard + "]";
    }
}
