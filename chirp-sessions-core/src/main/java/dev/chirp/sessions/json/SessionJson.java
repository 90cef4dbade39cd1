package dev.chirp.sessions.json;

import dev.chirp.sessions.internal.JacksonSupport;
import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.internal.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON text of session values, read and written the way the session cookie does, for code that keeps or
 * shows sessions elsewhere (a server-side store, a command line, a debug page).
 *
 * <p>Objects are read as {@code LinkedHashMap} (insertion order, as in Python), arrays as
 * {@code ArrayList}, integers as the smallest of {@code Integer}, {@code Long} and {@code BigInteger},
 * other numbers as {@code Double}. Output is compact ({@code ,} and {@code :}) with raw UTF-8. Input is
 * read under the same rule as every session cookie: strict UTF-8 without a byte order mark (no UTF-16 or
 * UTF-32), standard JSON numbers only, and no {@code NaN} or infinities (Python's {@code json} reads
 * {@code NaN}, {@code Infinity} and {@code 1e999}; no session value may hold them, so they are refused on
 * read and on write).
 *
 * <p>Every method throws {@link dev.chirp.sessions.ConfigurationException} if the jackson-core on the class
 * path is older than 2.16.
 */
public final class SessionJson {

    private SessionJson() {
    }

    /**
     * Writes {@code value} as compact JSON text.
     *
     * @throws IllegalArgumentException if {@code value} is not a JSON value, naming the path and type
     */
    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code value} as compact JSON in UTF-8.
     *
     * @throws IllegalArgumentException if {@code value} is not a JSON value, naming the path and type
     */
    public static byte[] writeBytes(Object value) {
        JacksonSupport.require();
        JsonValues.requireWritable(value);
        return Json.write(value);
    }

    /**
     * Reads exactly one JSON value from UTF-8 bytes.
     *
     * @throws IOException with a one-line message saying what is wrong and where (line, column)
     */
    public static Object read(byte[] json) throws IOException {
        JacksonSupport.require();
        return Json.read(json);
    }

    /**
     * Reads exactly one JSON value from text.
     *
     * @throws IOException with a one-line message saying what is wrong and where (line, column)
     */
    public static Object read(String json) throws IOException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }
}
