package dev.chirp.sessions.starterapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.springboot.autoconfigure.ChirpSessionsJettyAutoConfiguration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The starter's Jetty customizer on whichever Spring Boot runs this test: Boot 4's
 * {@code org.springframework.boot.jetty.JettyServerCustomizer} (chirp-sessions-spring-boot-jetty-it) or Boot
 * 3.5's {@code org.springframework.boot.web.embedded.jetty.JettyServerCustomizer}
 * (chirp-sessions-spring-boot3-it) is registered and makes a real Jetty server's connectors compare cached
 * header values exactly; where Boot has no Jetty support on the class path (this module), nothing is
 * registered. {@code HeaderCaseTest} checks the effect through HTTP on Boot 4 + Jetty.
 */
class JettyHeaderCacheCustomizerTest {

    private static final List<String> CUSTOMIZERS = List.of("org.springframework.boot.jetty.JettyServerCustomizer",
            "org.springframework.boot.web.embedded.jetty.JettyServerCustomizer");

    @Test
    void theCustomizerOfThisBootMakesEveryConnectorsHeaderCacheCaseSensitive() throws Exception {
        Optional<Class<?>> customizerType = CUSTOMIZERS.stream()
                .filter(name -> ClassUtils.isPresent(name, null))
                .<Class<?>>map(name -> ClassUtils.resolveClassName(name, null)).findFirst();
        try (AnnotationConfigApplicationContext context =
                new AnnotationConfigApplicationContext(ChirpSessionsJettyAutoConfiguration.class)) {
            boolean registered = context.containsBean(ChirpSessionsJettyAutoConfiguration.BEAN_NAME);
            assertThat(registered).as("registered iff this Boot has a JettyServerCustomizer: " + customizerType)
                    .isEqualTo(customizerType.isPresent());
            if (customizerType.isEmpty()) {
                return;
            }
            Object customizer = context.getBean(ChirpSessionsJettyAutoConfiguration.BEAN_NAME);
            assertThat(customizerType.get().isInstance(customizer)).as("a " + customizerType.get().getName()).isTrue();

            Server server = new Server();
            HttpConfiguration http = new HttpConfiguration();
            server.addConnector(new ServerConnector(server, new HttpConnectionFactory(http)));
            assertThat(http.isHeaderCacheCaseSensitive()).as("Jetty's default").isFalse();
            customizerType.get().getMethod("customize", Server.class).invoke(customizer, server);

            assertThat(http.isHeaderCacheCaseSensitive()).isTrue();
        }
    }
}
