package dev.chirp.sessions.springboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * Makes an embedded Jetty's per-connection header cache case-sensitive, which every Jetty that reads
 * session cookies needs: by default Jetty looks a repeated header value up ignoring case, so on a
 * keep-alive connection a {@code Cookie} that differs from an earlier one only in letter case reaches the
 * application as the earlier value (see {@code docs/servers.md}). Active when Jetty is on the class path,
 * on Spring Boot 4 and 3.5; an application that already sets it loses nothing.
 */
@AutoConfiguration(before = ChirpSessionsAutoConfiguration.class)
@ConditionalOnClass(name = {"org.eclipse.jetty.server.Server", "dev.chirp.sessions.SessionMiddleware"})
@Import(JettyHeaderCacheRegistrar.class)
public class ChirpSessionsJettyAutoConfiguration {

    /** The customizer's bean name. */
    public static final String BEAN_NAME = "chirpSessionsJettyHeaderCache";

    /** Creates the configuration; Boot does this. */
    public ChirpSessionsJettyAutoConfiguration() {
    }
}
