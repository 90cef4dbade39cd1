package dev.chirp.sessions.spring.benchmarks;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.redis.RedisSessionStore;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;

/**
 * Forms (a) and (b): chirp-sessions registered with the README's two Spring Boot beans, plus, in the
 * {@code chirp-redis} profile, a {@code RedisSessionStore} on the Redis that {@code spring.data.redis.host}
 * and {@code .port} name, the same settings Spring Session reads in form (c).
 */
@Configuration(proxyBeanMethods = false)
@Profile({"chirp-cookie", "chirp-redis"})
class ChirpSessionsForm {

    @Bean(destroyMethod = "close")
    @Profile("chirp-redis")
    RedisSessionStore redisSessionStore(@Value("${spring.data.redis.host:localhost}") String host,
            @Value("${spring.data.redis.port:6379}") int port) {
        return RedisSessionStore.builder("redis://" + host + ":" + port).build();
    }

    @Bean
    SessionMiddleware sessionMiddleware(@Value("${CHIRP_SESSION_SECRET}") String secret,
            ObjectProvider<RedisSessionStore> redis) {
        SessionConfig.Builder config = SessionConfig.builder(secret);
        redis.ifAvailable(config::store);
        return new SessionMiddleware(config.build());
    }

    @Bean
    FilterRegistrationBean<SessionFilter> chirpSessions(SessionMiddleware middleware) {
        FilterRegistrationBean<SessionFilter> bean = new FilterRegistrationBean<>(new SessionFilter(middleware));
        bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC,
                DispatcherType.ERROR);
        bean.setAsyncSupported(true);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return bean;
    }
}
