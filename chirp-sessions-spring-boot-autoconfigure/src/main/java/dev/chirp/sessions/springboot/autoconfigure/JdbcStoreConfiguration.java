package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.jdbc.JdbcSessionStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code chirp.sessions.store=jdbc}: the PostgreSQL store on Boot's {@code DataSource}, with the
 * {@code chirp.sessions.jdbc.*} options. The store is also the application's
 * {@link dev.chirp.sessions.UserSessionRegistry} bean.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcSessionStore.class)
@ConditionalOnProperty(prefix = "chirp.sessions", name = "store", havingValue = "jdbc")
@ConditionalOnMissingBean({SessionStore.class, SessionConfig.class, SessionMiddleware.class})
class JdbcStoreConfiguration {

    @Bean(destroyMethod = "close")
    JdbcSessionStore chirpSessionStore(ObjectProvider<DataSource> dataSource, ChirpSessionsProperties properties) {
        DataSource source = dataSource.getIfUnique();
        if (source == null) {
            throw new ConfigurationException("chirp.sessions.store=jdbc must have one DataSource bean: none or "
                    + "several found; add spring-boot-starter-jdbc and spring.datasource.url (or mark one "
                    + "DataSource @Primary)");
        }
        JdbcStoreProperties jdbc = properties.getJdbc();
        return JdbcSessionStore.builder(source)
                .tableName(jdbc.getTableName())
                // PostgreSQL is never an embedded database in Boot's sense, so EMBEDDED creates nothing.
                .createTableIfMissing(jdbc.getInitializeSchema() == JdbcStoreProperties.InitializeSchema.ALWAYS)
                .cleanupInterval(jdbc.getCleanupInterval())
                .timeout(jdbc.getTimeout())
                .maxSessionsPerUser(jdbc.getMaxSessionsPerUser())
                .build();
    }
}
