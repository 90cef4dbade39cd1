package dev.chirp.sessions.jdbc;

import dev.chirp.sessions.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session table's name and every SQL statement the store sends to it, written once here so that a
 * reader sees the whole data layout in one file; the DDL is the class-path resource
 * {@value #SCHEMA_RESOURCE}.
 */
final class SessionTable {

    static final String SCHEMA_RESOURCE = "dev/chirp/sessions/jdbc/schema-postgresql.sql";
    static final String DEFAULT_NAME = "chirp_session";

    // Unquoted identifiers only, lower case: PostgreSQL folds unquoted names to lower case, so this is the
    // name a person types in psql. 40 characters leave room for the index-name suffixes under the
    // 63-byte identifier limit. An optional schema in front, such as "app.chirp_session".
    private static final Pattern NAME = Pattern.compile("(?:([a-z_][a-z0-9_]{0,39})\\.)?([a-z_][a-z0-9_]{0,39})");
    private static final String TTL = "now() + ? * interval '1 millisecond'";

    final String name;
    final String load;
    final String insert;
    final String insertCapped;
    final String merge;
    final String touch;
    final String delete;
    final String list;
    final String revoke;
    final String revokeAllExcept;
    final String deleteExpired;
    final String check;

    SessionTable(String name) {
        this.name = name;
        String t = name;
        load = "SELECT data::text FROM " + t + " WHERE id_hash = ? AND expires_at > now()";
        String values = " (id_hash, user_tag, data, created_at, last_seen_at, expires_at) VALUES (?, ?, ?::jsonb, "
                + "now(), now(), " + TTL + ") ON CONFLICT (id_hash) DO NOTHING";
        insert = "INSERT INTO " + t + values;
        // One statement for a login: the new row, and the user's sessions past the cap, least recently seen
        // first. The CTE's snapshot does not see the new row, so the cap keeps (cap - 1) older ones. Rows are
        // locked in id order, as revokeAllExcept locks them, so two of these for one user never deadlock.
        insertCapped = "WITH inserted AS (INSERT INTO " + t + values + " RETURNING id_hash), "
                + "over_cap AS (DELETE FROM " + t + " WHERE id_hash IN (SELECT id_hash FROM " + t
                + " WHERE id_hash IN (SELECT id_hash FROM " + t + " WHERE user_tag = ? AND expires_at > now()"
                + " ORDER BY last_seen_at DESC OFFSET ?) ORDER BY id_hash FOR UPDATE)"
                + " AND EXISTS (SELECT 1 FROM inserted)) "
                + "SELECT count(*) FROM inserted";
        // The per-key merge, one statement on a live row only: the removed keys go, the changed keys are
        // written, and the stamps never move backwards (the stored __created_at stays, the larger
        // __last_seen_at wins). A row deleted by a concurrent logout matches nothing and stays deleted.
        merge = "UPDATE " + t + " AS s SET data = (CASE WHEN ? THEN '{}'::jsonb ELSE s.data - ?::text[] END)"
                + " || c.changed"
                + " || (CASE WHEN s.data -> '__created_at' IS NOT NULL AND c.changed -> '__created_at' IS NOT NULL"
                + " THEN jsonb_build_object('__created_at', s.data -> '__created_at') ELSE '{}'::jsonb END)"
                + " || (CASE WHEN jsonb_typeof(s.data -> '__last_seen_at') = 'number'"
                + " AND jsonb_typeof(c.changed -> '__last_seen_at') = 'number'"
                + " AND (s.data ->> '__last_seen_at')::numeric > (c.changed ->> '__last_seen_at')::numeric"
                + " THEN jsonb_build_object('__last_seen_at', s.data -> '__last_seen_at') ELSE '{}'::jsonb END),"
                + " last_seen_at = greatest(s.last_seen_at, now()), expires_at = " + TTL
                + " FROM (SELECT ?::jsonb AS changed) AS c WHERE s.id_hash = ? AND s.expires_at > now()";
        touch = "UPDATE " + t + " SET expires_at = " + TTL + ", last_seen_at = greatest(last_seen_at, now())"
                + " WHERE id_hash = ? AND expires_at > now()";
        delete = "DELETE FROM " + t + " WHERE id_hash = ? RETURNING expires_at > now()";
        list = "SELECT substring(id_hash from 1 for 8), created_at, last_seen_at, count(*) OVER () FROM " + t
                + " WHERE user_tag = ? AND expires_at > now() ORDER BY last_seen_at DESC LIMIT ?";
        revoke = "DELETE FROM " + t + " WHERE user_tag = ? AND substring(id_hash from 1 for 8) = ?"
                + " RETURNING expires_at > now()";
        revokeAllExcept = "WITH gone AS (DELETE FROM " + t + " WHERE id_hash IN (SELECT id_hash FROM " + t
                + " WHERE user_tag = ? AND substring(id_hash from 1 for 8) IS DISTINCT FROM ?"
                + " ORDER BY id_hash FOR UPDATE) RETURNING expires_at) "
                + "SELECT count(*) FROM gone WHERE expires_at > now()";
        // SKIP LOCKED: nodes running the cleanup at once take disjoint batches and never wait for each
        // other or for a request; each batch is its own short transaction.
        deleteExpired = "DELETE FROM " + t + " WHERE id_hash IN (SELECT id_hash FROM " + t
                + " WHERE expires_at <= now() LIMIT ? FOR UPDATE SKIP LOCKED) AND expires_at <= now()";
        check = "SELECT id_hash, user_tag, data, created_at, last_seen_at, expires_at FROM " + t + " WHERE false";
    }

    /**
     * Checks a table name.
     *
     * @throws ConfigurationException unless it is a lower-case SQL identifier, optionally schema-qualified
     */
    static SessionTable named(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigurationException("tableName must be an unquoted lower-case SQL identifier of at most 40 "
                    + "characters (letters a-z, digits, underscores; not starting with a digit), optionally after "
                    + "a schema and a dot: " + (name == null ? "null" : "\"" + visible(name) + "\"")
                    + "; use a name such as \"" + DEFAULT_NAME + "\" or \"app." + DEFAULT_NAME + "\"");
        }
        return new SessionTable(name);
    }

    /** The DDL of the schema resource, for this table's name. */
    String schema() {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalStateException("checked when built");
        }
        String bare = m.group(2);
        return resource().replaceAll("\\b" + DEFAULT_NAME + "_(\\w+_idx)\\b", bare + "_$1")
                .replaceAll("\\b" + DEFAULT_NAME + "\\b", name);
    }

    static String resource() {
        // Relative to this class: found on the class path and, under JPMS, in this module alike.
        try (InputStream in = SessionTable.class.getResourceAsStream("schema-postgresql.sql")) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from chirp-sessions-jdbc");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String visible(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
