package dev.chirp.sessions.webflux;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Flash;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.Sessions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.SessionAttribute;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A WebFlux application with annotated controllers on Reactor Netty, port 0, wired the way Spring wires
 * one: {@link WebHttpHandlerBuilder#applicationContext} picks the {@code webSessionManager} bean.
 */
final class TestApp implements AutoCloseable {

    static final List<Throwable> ERRORS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AnnotationConfigApplicationContext context;
    private final DisposableServer server;

    TestApp(WebFluxSessions sessions) {
        context = new AnnotationConfigApplicationContext();
        context.registerBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME, WebFluxSessions.class, () -> sessions);
        context.register(Config.class);
        context.refresh();
        ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(
                WebHttpHandlerBuilder.applicationContext(context).build());
        server = HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow(Duration.ofSeconds(10));
    }

    TestApp(SessionMiddleware middleware) {
        this(new WebFluxSessions(middleware));
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
        context.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    static class Config {
        @Bean
        Controller controller() {
            return new Controller();
        }

        /** Records every error that reaches Spring's exception handling, then lets it go on (a 500). */
        @Bean
        @org.springframework.core.annotation.Order(-10)
        org.springframework.web.server.WebExceptionHandler recordErrors() {
            return (exchange, error) -> {
                ERRORS.add(error);
                return Mono.error(error);
            };
        }

        @Bean
        SessionCsrfWebFilter csrf() {
            return new SessionCsrfWebFilter(dev.chirp.sessions.CsrfGuard.builder().exemptPaths("/put", "/login",
                    "/fail", "/big").build());
        }
    }

    @RestController
    static class Controller {

        @GetMapping("/none")
        String none() {
            return "nothing";
        }

        @GetMapping("/put")
        Mono<String> put(ServerWebExchange exchange, @RequestParam("key") String key, @RequestParam("value") String value) {
            return exchange.getSession().map(session -> {
                session.getAttributes().put(key, value);
                return "ok";
            });
        }

        @PostMapping("/put")
        Mono<String> postPut(WebSession session, @RequestParam("key") String key, @RequestParam("value") String value) {
            session.getAttributes().put(key, value);
            return Mono.just("ok");
        }

        @GetMapping("/get")
        String get(WebSession session, @RequestParam("key") String key) {
            return String.valueOf(session.getAttributes().get(key));
        }

        @GetMapping("/attr")
        String attr(@SessionAttribute(name = "user", required = false) String user) {
            return String.valueOf(user);
        }

        @GetMapping("/nested")
        String nested(WebSession session) {
            session.getAttributes().put("cart", List.of(Map.of("sku", "a-1", "n", 2), 12345678901234567890.0));
            return "ok";
        }

        @GetMapping("/bad")
        String bad(WebSession session) {
            try {
                session.getAttributes().put("when", new Object());
                return "stored";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }

        @GetMapping("/big")
        String big(WebSession session) {
            // Random text, which compression cannot bring under the 4 KB limit.
            java.util.Random random = new java.util.Random(42);
            StringBuilder text = new StringBuilder();
            while (text.length() < 6000) {
                text.append(Long.toHexString(random.nextLong()));
            }
            session.getAttributes().put("big", text.toString());
            return "too big";
        }

        @GetMapping("/fail")
        String fail(WebSession session) {
            session.getAttributes().put("lost", "yes");
            throw new IllegalStateException("handler failed");
        }

        @GetMapping("/missing")
        String missing(WebSession session) {
            session.getAttributes().put("lost", "yes");
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }

        @GetMapping("/invalidate")
        Mono<String> invalidate(WebSession session) {
            return session.invalidate().thenReturn("ended");
        }

        @GetMapping("/change")
        Mono<String> change(WebSession session) {
            return session.changeSessionId().thenReturn("changed");
        }

        @GetMapping("/login")
        Mono<String> login(ServerWebExchange exchange, @RequestParam("user") String user) {
            return WebFluxSessions.login(exchange, user).map(session -> String.valueOf(session.get(Sessions.USER_ID_KEY)));
        }

        @GetMapping("/logout")
        Mono<String> logout(ServerWebExchange exchange) {
            return WebFluxSessions.logout(exchange).thenReturn("out");
        }

        @GetMapping("/flash")
        Mono<String> flash(ServerWebExchange exchange, @RequestParam("message") String message) {
            return WebFluxSessions.session(exchange).map(session -> {
                Flash.add(session, new Flash("info", message));
                return "flashed";
            });
        }

        @GetMapping("/flashes")
        Mono<String> flashes(ServerWebExchange exchange) {
            return WebFluxSessions.session(exchange).map(session -> Flash.takeAll(session).toString());
        }

        @GetMapping("/csrf")
        Mono<String> csrf(ServerWebExchange exchange) {
            return WebFluxSessions.session(exchange).map(Csrf::token);
        }

        @PostMapping("/form")
        String form() {
            return "accepted";
        }

        @GetMapping("/thread-local")
        String threadLocal() {
            try {
                Sessions.get();
                return "bound";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }

        @GetMapping("/block")
        String block() throws InterruptedException {
            Thread.sleep(1); // BlockHound's self-check: this must be caught on the event loop
            return "slept";
        }
    }
}
