package dev.chirp.sessions.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.chirp.sessions.signing.TimedSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The three sessions every benchmark measures, built deterministically so that Java and Python see
 * the same data: {@code small} (5 keys, a cookie of about 150 bytes), {@code cart} (25 nested line
 * items, compresses well) and {@code large} (mostly random ids that compress poorly, a cookie just
 * under the 4 KB limit).
 *
 * <p>Run as a program, it writes the payloads and tokens signed by the Java serializer as JSON for the
 * Python benchmark: {@code java -cp benchmarks.jar dev.chirp.sessions.benchmarks.Payloads out.json}.
 */
public final class Payloads {

    /** The secret every benchmark signs with; a benchmark fixture, not a real key. */
    public static final String SECRET = "benchmark-secret-not-for-production-use-0123456789";

    /** The payload names, as used in JMH {@code @Param} values and reports. */
    public static final List<String> NAMES = List.of("small", "cart", "large");

    private Payloads() {
    }

    /** Returns a fresh, mutable copy of the named payload. */
    public static Map<String, Object> named(String name) {
        switch (name) {
            case "small":
                return small();
            case "cart":
                return cart();
            case "large":
                return large();
            default:
                if (name.matches("[1-9][0-9]*B")) {
                    return sized(Integer.parseInt(name.substring(0, name.length() - 1))); // as in Interleaved's sweep
                }
                throw new IllegalArgumentException("payload must be one of " + NAMES + " or a size like 250B: " + name
                        + "; pick one of those names");
        }
    }

    /** Five keys: what a logged-in user with a CSRF token typically carries. */
    public static Map<String, Object> small() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", 48213);
        m.put("csrf", "q8Xv3LmR0tYw7bKcP2sN5e");
        m.put("theme", "dark");
        m.put("locale", "en-GB");
        m.put("counter", 7);
        return m;
    }

    /** A shopping cart of 25 line items, each a nested object. */
    public static Map<String, Object> cart() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", 48213);
        m.put("currency", "EUR");
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("sku", String.format("SKU-%05d", 1000 + i * 37));
            item.put("qty", 1 + i % 3);
            item.put("price_cents", 499 + i * 150);
            item.put("gift", i % 7 == 0);
            items.add(item);
        }
        m.put("cart", items);
        m.put("counter", 7);
        return m;
    }

    /**
     * A session near the cookie limit: 103 random 32-character ids (recently viewed items) and a
     * draft text. Random ids compress poorly, so the cookie stays near 3.9 KB even compressed.
     */
    public static Map<String, Object> large() {
        Random random = new Random(20240611L);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", 48213);
        m.put("csrf", "q8Xv3LmR0tYw7bKcP2sN5e");
        List<Object> recent = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            StringBuilder id = new StringBuilder(32);
            for (int j = 0; j < 32; j++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            recent.add(id.toString());
        }
        m.put("recent", recent);
        StringBuilder draft = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            draft.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (i % 9 == 8) {
                draft.append(' ');
            }
        }
        m.put("draft", draft.toString());
        m.put("counter", 7);
        return m;
    }

    /**
     * A session of about {@code jsonBytes} bytes of JSON (exactly, from 50 bytes up), built the way
     * sessions grow: a user id and a counter, then a CSRF token, a theme and a flag, then short random
     * ids (recently viewed items), the last one cut to the size. Random hex ids compress by about a
     * quarter, as real ids do. Deterministic for each size.
     */
    public static Map<String, Object> sized(int jsonBytes) {
        Random random = new Random(jsonBytes * 7919L);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("user_id", 4711);
        session.put("counter", 7);
        List<String[]> extras = new ArrayList<>();
        extras.add(new String[] {"csrf", hex(random, 22)});
        extras.add(new String[] {"theme", "dark"});
        extras.add(new String[] {"beta", null});
        for (int i = 0; jsonBytes(session) < jsonBytes; i++) {
            String[] extra = i < extras.size() ? extras.get(i) : new String[] {"r" + (i - extras.size()), hex(random, 12)};
            if (extra[1] == null) {
                session.put(extra[0], Boolean.TRUE);
                continue;
            }
            int missing = jsonBytes - jsonBytes(session);
            int room = missing - extra[0].length() - 6; // ,"k":"" around the text
            if (room <= 0) {
                // Too little left for another key: lengthen the last value instead.
                String last = extra[0].startsWith("r") && i > extras.size() ? "r" + (i - extras.size() - 1) : "csrf";
                if (session.containsKey(last)) {
                    session.put(last, session.get(last) + hex(random, missing));
                }
                break;
            }
            session.put(extra[0], extra[1].substring(0, Math.min(room, extra[1].length())));
        }
        return session;
    }

    /** The size of {@code value} as compact JSON, in bytes. */
    public static int jsonBytes(Map<String, Object> value) {
        return dev.chirp.sessions.json.SessionJson.writeBytes(value).length;
    }

    private static String hex(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString();
    }

    /** Writes {@code {"secret": ..., "payloads": {name: value}, "tokens": {name: javaToken}}} to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Payloads OUT.json");
            System.exit(2);
        }
        TimedSerializer serializer = TimedSerializer.builder(SECRET).build();
        try (OutputStream out = Files.newOutputStream(Path.of(args[0]));
             JsonGenerator gen = new JsonFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("secret", SECRET);
            gen.writeObjectFieldStart("payloads");
            for (String name : NAMES) {
                gen.writeFieldName(name);
                Floor.writeJson(gen, named(name));
            }
            gen.writeEndObject();
            gen.writeObjectFieldStart("tokens");
            for (String name : NAMES) {
                gen.writeStringField(name, serializer.dumps(named(name)));
            }
            gen.writeEndObject();
            gen.writeEndObject();
        }
    }
}
