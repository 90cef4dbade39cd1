package dev.chirp.sessions.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.jdbc.JdbcSessionStore;

/** The demo's {@code --jdbc URL}: sessions in PostgreSQL through a HikariCP pool, the table created if missing. */
final class DemoJdbc {

    private DemoJdbc() {
    }

    /** Connects now, so a wrong URL or a database that is down stops the demo at startup. */
    static JdbcSessionStore store(String url) {
        if (url.isBlank() || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("--jdbc must be a PostgreSQL JDBC URL: \"" + hidePassword(url)
                    + "\"; write it as 'jdbc:postgresql://HOST:PORT/DB?user=U&password=P'");
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setPoolName("chirp-sessions-demo");
        pool.setMaximumPoolSize(10);
        pool.setMinimumIdle(1);
        // No longer than the store's timeout: a request never waits longer for a connection than for an answer.
        pool.setConnectionTimeout(JdbcSessionStore.DEFAULT_TIMEOUT.toMillis());
        pool.setInitializationFailTimeout(-1); // the store's own check below says what is wrong, in --jdbc terms
        HikariDataSource dataSource = new HikariDataSource(pool);
        Runtime.getRuntime().addShutdownHook(new Thread(dataSource::close, "chirp-sessions-demo pool"));
        try {
            return JdbcSessionStore.builder(dataSource).createTableIfMissing(true).build();
        } catch (SessionStoreException | ConfigurationException e) {
            dataSource.close();
            // The store's message speaks of requests ("fails closed ... reconnects by itself"): at startup
            // only what failed matters, then the fix in terms of the option.
            String reason = e.getMessage();
            int requestPart = reason.indexOf("; the request fails closed");
            throw new IllegalStateException("--jdbc " + hidePassword(url) + " cannot be used: "
                    + (requestPart > 0 ? reason.substring(0, requestPart) : reason)
                    + "; start PostgreSQL there, or fix the --jdbc option");
        }
    }

    /** The URL with any {@code password=} value and anything before an {@code @} in the authority masked. */
    static String hidePassword(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1****").replaceAll("//[^/@]*@", "//****@");
    }
}
