package dev.chirp.sessions.webflux;

import dev.chirp.sessions.CookieSessionStore;
import dev.chirp.sessions.NoActiveSessionException;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.SessionTooLargeException;
import dev.chirp.sessions.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Objects;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.handler.ExceptionHandlingWebHandler;
import org.springframework.web.server.session.WebSessionManager;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Spring WebFlux's {@link WebSessionManager} on chirp sessions: the {@link WebSession} of every exchange
 * is the request's chirp {@link Session}, kept in the signed cookie (or the configured server-side store)
 * with the same JSON values, the same cookie and the same write policy as the servlet
 * {@code SessionFilter}. {@code exchange.getSession()}, a {@code WebSession} handler argument and
 * {@code @SessionAttribute} all read it; Spring's in-memory session store is never used.
 *
 * <h2>Registering</h2>
 * Declare it as the bean named {@code webSessionManager} (Spring Boot's chirp-sessions starter does), or
 * pass it to {@code WebHttpHandlerBuilder.sessionManager(...)}:
 * <pre>{@code
 * @Bean
 * WebSessionManager webSessionManager() {
 *     return new WebFluxSessions(new SessionMiddleware(SessionConfig.builder(secret).build()));
 * }
 * }</pre>
 *
 * <h2>What the WebSession does</h2>
 * {@link WebSession#getAttributes()} is the chirp {@link Session}: a value that is not JSON is refused at
 * {@code put} with the servlet side's message. {@link WebSession#invalidate()} ends the session (the
 * response deletes the cookie, a server-side store forgets it), {@link WebSession#changeSessionId()}
 * regenerates it keeping its values (a fresh cookie; a server-side store moves them to a new id);
 * {@link WebSession#save()} does nothing, since the session is saved as the response commits. See
 * {@link #session(ServerWebExchange)} for code that wants the {@code Session} API (flash, CSRF).
 *
 * <h2>The header transport</h2>
 * With {@code SessionConfig.Builder.transport(SessionTransport.HEADER)} (or {@code COOKIE_OR_HEADER}) the
 * signed token is read from the request's {@link SessionConfig#headerName()} header and written to the same
 * response header instead of a cookie, as on the servlet and JDK adapters; a browser application calling
 * such an API across origins must list the header in {@code Access-Control-Expose-Headers}. A session
 * carried by the header needs no CSRF check ({@link SessionCsrfWebFilter} lets it through): a forged
 * cross-site request carries cookies, never a custom header.
 *
 * <h2>When the cookie is written</h2>
 * Only for an exchange whose code asked for its session: from Spring's {@code beforeCommit} hook, so
 * before the status line and headers leave, however the response ends (a body, a redirect, an empty
 * completion). Then the core's policy applies (see {@link SessionRequest}): {@code Vary: Cookie} when the
 * session was read, a {@code Set-Cookie} only when it changed, was regenerated, came from a fallback
 * secret, is due for a throttled refresh, or must be deleted. An exchange that never asks for the
 * session verifies no cookie and writes nothing.
 *
 * <h2>A handler that fails; a session too large</h2>
 * An exchange whose error was handed to a {@code WebExceptionHandler} (an exception from a handler, a
 * {@code ResponseStatusException}) saves nothing: its session changes are discarded and the browser keeps
 * its cookie, as on the servlet side. A session over the size limit fails the commit with a
 * {@link SessionTooLargeException} before anything was sent: Spring then answers 500 without the cookie.
 *
 * <h2>No blocking on an event loop</h2>
 * The default {@link CookieSessionStore} does no I/O: the session is read and written on the event loop.
 * Any other store (Redis, PostgreSQL) and a configured session-version lookup are synchronous APIs, so
 * every call that can reach them (loading the session when {@code getSession()} is subscribed, the
 * commit, {@code invalidate()} and {@code changeSessionId()}) runs on a bounded scheduler instead,
 * {@link Schedulers#boundedElastic()} unless {@link Builder#storeScheduler} names another. Once loaded,
 * reading and changing values never touches the store.
 *
 * <h2>Sessions.get()</h2>
 * Not available on WebFlux: handlers run on shared event-loop threads and may continue on others, so no
 * thread-local binding can be correct. {@link Sessions#get()} throws {@link NoActiveSessionException}
 * there; use {@code exchange.getSession()} or {@link #session(ServerWebExchange)}.
 */
public final class WebFluxSessions implements WebSessionManager {

    /** The exchange attribute that holds the exchange's chirp session; its value is the class name + ".session". */
    static final String SESSION_ATTRIBUTE = WebFluxSessions.class.getName() + ".session";

    private final SessionMiddleware middleware;
    /** Null when the store does no I/O: everything runs where the exchange runs. */
    private final Scheduler storeScheduler;

    /**
     * A manager on {@code middleware}, with the default scheduler rule: none for the
     * {@link CookieSessionStore} without a session-version lookup, {@link Schedulers#boundedElastic()}
     * otherwise.
     *
     * @throws NullPointerException if {@code middleware} is null
     */
    public WebFluxSessions(SessionMiddleware middleware) {
        this(builder(middleware));
    }

    private WebFluxSessions(Builder builder) {
        this.middleware = builder.middleware;
        this.storeScheduler = builder.storeScheduler != null ? builder.storeScheduler
                : doesIo(builder.middleware.config()) ? Schedulers.boundedElastic() : null;
    }

    /**
     * Starts a builder for a manager on {@code middleware}.
     *
     * @throws NullPointerException if {@code middleware} is null
     */
    public static Builder builder(SessionMiddleware middleware) {
        return new Builder(Objects.requireNonNull(middleware, "middleware"));
    }

    /**
     * The chirp session of {@code exchange}, for code that wants the {@link Session} API itself
     * ({@code Flash.add(session, ...)}, {@code Csrf.token(session)}, {@code session.regenerate()}).
     * Loading runs where {@code exchange.getSession()} runs it (see the class description).
     *
     * @param exchange an exchange of an application whose {@link WebSessionManager} is a {@code WebFluxSessions}
     * @return the session; fails with {@link NoActiveSessionException} if the exchange's session is not a
     *         chirp session
     */
    public static Mono<Session> session(ServerWebExchange exchange) {
        return chirp(exchange).map(ChirpWebSession::session);
    }

    /**
     * Logs a user in as chirp's {@code login()} and {@link Sessions#login(Object)} do: regenerates the
     * session and stores {@code userId} under {@value Sessions#USER_ID_KEY} (and the user's session version,
     * when a lookup is configured). Runs on the store scheduler when the store does I/O.
     *
     * @param exchange the exchange whose session logs in
     * @param userId   a JSON value identifying the user, usually a String or a number
     * @return the regenerated session; fails with {@link IllegalArgumentException} if {@code userId} is not a
     *         JSON value (the session is untouched), or {@link NoActiveSessionException} as
     *         {@link #session(ServerWebExchange)} does
     */
    public static Mono<Session> login(ServerWebExchange exchange, Object userId) {
        return chirp(exchange).flatMap(session -> session.bound(() -> Sessions.login(userId)));
    }

    /**
     * Logs the user out as {@link Sessions#logout()} does: the session is emptied and regenerated, so the
     * response deletes the cookie. Runs on the store scheduler when the store does I/O.
     *
     * @param exchange the exchange whose session ends
     * @return the now empty session; fails with {@link NoActiveSessionException} as
     *         {@link #session(ServerWebExchange)} does
     */
    public static Mono<Session> logout(ServerWebExchange exchange) {
        return chirp(exchange).flatMap(session -> session.bound(Sessions::regenerate));
    }

    private static Mono<ChirpWebSession> chirp(ServerWebExchange exchange) {
        return exchange.getSession().map(session -> {
            if (session instanceof ChirpWebSession chirp) {
                return chirp;
            }
            throw new NoActiveSessionException("the exchange's WebSession must be a chirp session: "
                    + session.getClass().getName() + " was found; declare a WebFluxSessions bean named "
                    + "'webSessionManager' (the chirp-sessions Spring Boot starter does), or pass one to "
                    + "WebHttpHandlerBuilder.sessionManager(...)");
        });
    }

    /** The middleware this manager drives. */
    public SessionMiddleware middleware() {
        return middleware;
    }

    @Override
    public Mono<WebSession> getSession(ServerWebExchange exchange) {
        return Mono.defer(() -> {
            ChirpWebSession existing = exchange.getAttribute(SESSION_ATTRIBUTE);
            if (existing != null) {
                return Mono.just(existing);
            }
            SessionRequest request = begin(exchange);
            ChirpWebSession session = new ChirpWebSession(request, this);
            exchange.getAttributes().put(SESSION_ATTRIBUTE, session);
            exchange.getResponse().beforeCommit(() -> commit(exchange, request));
            if (storeScheduler == null) {
                return Mono.just(session); // verified lazily, on first use of an attribute
            }
            // A server-side store is read here, on the bounded scheduler, so that attribute calls on the
            // event loop find the session loaded and never reach the store.
            return Mono.fromCallable(() -> {
                session.session().isEmpty();
                return (WebSession) session;
            }).subscribeOn(storeScheduler);
        });
    }

    /** Runs {@code action} where store calls may run: on the store scheduler, or in place. */
    <T> Mono<T> onStoreThread(Callable<T> action) {
        Mono<T> run = Mono.fromCallable(action);
        return storeScheduler == null ? run : run.subscribeOn(storeScheduler);
    }

    private Mono<Void> commit(ServerWebExchange exchange, SessionRequest request) {
        if (request.isCommitted()) {
            return Mono.empty();
        }
        if (exchange.getAttribute(ExceptionHandlingWebHandler.HANDLED_WEB_EXCEPTION) != null) {
            // The failure policy of every adapter: a request that failed saves nothing.
            request.discard();
            return Mono.empty();
        }
        if (!request.isAccessed()) {
            request.commit((name, value) -> { }); // freezes the session; writes nothing for an untouched one
            return Mono.empty();
        }
        HttpHeaders headers = exchange.getResponse().getHeaders();
        return onStoreThread(() -> {
            request.commit(headers::add);
            request.finish();
            return null;
        }).then();
    }

    /**
     * Starts the exchange's session request: from the cookie, or with the header transport
     * ({@link SessionConfig#transport()}) from the token header, whichever the configuration accepts.
     */
    private SessionRequest begin(ServerWebExchange exchange) {
        SessionConfig config = middleware.config();
        if (!config.transport().acceptsHeader()) {
            return middleware.begin(cookieHeaders(exchange));
        }
        // getValuesAsList exists with one signature in Spring Framework 6.2 and 7; a token has no comma.
        List<String> tokens = exchange.getRequest().getHeaders().getValuesAsList(config.headerName());
        return middleware.begin(cookieHeaders(exchange), tokens.isEmpty() ? null : tokens);
    }

    /**
     * The session cookie's values as {@code Cookie} header text for the core. Every value of the name is
     * passed on: a parent-domain cookie may come beside a host one, and the core tries each. Read through
     * {@code getCookies()} (Reactor Netty's lax decoding keeps a base64url value intact) because
     * {@code HttpHeaders.get} changed its signature between Spring Framework 6.2 and 7.
     */
    private List<String> cookieHeaders(ServerWebExchange exchange) {
        String name = middleware.config().cookieName();
        List<HttpCookie> cookies = exchange.getRequest().getCookies().get(name);
        if (cookies == null || cookies.isEmpty()) {
            return List.of();
        }
        List<String> headers = new ArrayList<>(cookies.size());
        for (HttpCookie cookie : cookies) {
            headers.add(name + "=" + cookie.getValue());
        }
        return headers;
    }

    private static boolean doesIo(SessionConfig config) {
        SessionStore store = config.store();
        return !(store instanceof CookieSessionStore) || config.sessionVersions().isPresent();
    }

    @Override
    public String toString() {
        return "WebFluxSessions[" + middleware.config().cookieName()
                + (storeScheduler == null ? ", store calls in place" : ", store calls on " + storeScheduler) + "]";
    }

    /** Options of a {@link WebFluxSessions}. */
    public static final class Builder {
        private final SessionMiddleware middleware;
        private Scheduler storeScheduler;

        private Builder(SessionMiddleware middleware) {
            this.middleware = middleware;
        }

        /**
         * Where calls that may reach the session store run: loading the session, saving it as the response
         * commits, {@code invalidate()} and {@code changeSessionId()}. The default is none (in place) for
         * the {@link CookieSessionStore} without a session-version lookup, which do no I/O, and
         * {@link Schedulers#boundedElastic()} for every other store. Pass a bounded scheduler, for example
         * {@code Schedulers.newBoundedElastic(16, 10_000, "chirp-store")}, to size it for the store's
         * connection pool; {@code Schedulers.immediate()} runs store calls on the event loop (only for a
         * store that never blocks).
         *
         * @return this builder
         * @throws NullPointerException if {@code scheduler} is null
         */
        public Builder storeScheduler(Scheduler scheduler) {
            this.storeScheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Builds the manager. */
        public WebFluxSessions build() {
            return new WebFluxSessions(this);
        }
    }
}
