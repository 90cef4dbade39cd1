package dev.chirp.sessions.springboot;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * A Spring Boot application that adds chirp-sessions exactly as the README says: the two beans below are
 * the README's Spring Boot example, word for word ({@code SpringBootAppTest} checks that they still are).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class ShopApplication {

    // README: spring-boot example begins
    @Bean SessionMiddleware sessionMiddleware(@Value("${CHIRP_SESSION_SECRET}") String secret) {
        return new SessionMiddleware(SessionConfig.builder(secret).build());
    }

    @Bean FilterRegistrationBean<SessionFilter> chirpSessions(SessionMiddleware middleware) {
        FilterRegistrationBean<SessionFilter> bean = new FilterRegistrationBean<>(new SessionFilter(middleware));
        bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC, DispatcherType.ERROR);
        bean.setAsyncSupported(true);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);  // ahead of Spring Security and other filters
        return bean;
    }
    // README: spring-boot example ends
}
