package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.webflux.WebFluxSessions;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A reactive {@link ServerCsrfTokenRepository} that keeps Spring Security's CSRF token in the exchange's
 * chirp session under {@value Csrf#SESSION_KEY}, chirp's own key: the same token, in the same form (64 hex
 * characters), sent as the same parameter {@value SessionCsrfTokenRepository#PARAMETER_NAME} or header
 * {@value Csrf#HEADER_NAME}, as the servlet {@link SessionCsrfTokenRepository}. Needs
 * {@link dev.chirp.sessions.webflux.WebFluxSessions} as the application's {@code WebSessionManager}.
 */
public final class SessionServerCsrfTokenRepository implements ServerCsrfTokenRepository {

    /** Creates the repository; it holds no state of its own, one instance serves every exchange. */
    public SessionServerCsrfTokenRepository() {
    }

    @Override
    public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
        return Mono.fromCallable(() -> token(CsrfTokenValue.next()));
    }

    @Override
    public Mono<Void> saveToken(ServerWebExchange exchange, CsrfToken token) {
        return WebFluxSessions.session(exchange).doOnNext(session -> {
            if (token == null) {
                session.remove(Csrf.SESSION_KEY);
            } else {
                session.put(Csrf.SESSION_KEY, token.getToken());
            }
        }).then();
    }

    @Override
    public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
        return WebFluxSessions.session(exchange).mapNotNull(session -> {
            Object token = session.get(Csrf.SESSION_KEY);
            // Anything but a non-empty string is not a token chirp wrote: absent, so a fresh one replaces it.
            return token instanceof String text && !text.isEmpty() ? token(text) : null;
        });
    }

    private static CsrfToken token(String value) {
        return new DefaultCsrfToken(Csrf.HEADER_NAME, SessionCsrfTokenRepository.PARAMETER_NAME, value);
    }
}
