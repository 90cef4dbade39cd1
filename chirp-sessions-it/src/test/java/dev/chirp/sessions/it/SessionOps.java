package dev.chirp.sessions.it;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionCommittedException;
import dev.chirp.sessions.Sessions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server-neutral handler operations of the contract, written once against {@link Sessions#get()}
 * and run by the servlet and by the JDK server handler alike.
 */
final class SessionOps {

    /** Outcomes of changes tried after the cookie was written, by request id, for the tests to read. */
    static final Map<String, String> LATE_CHANGES = new ConcurrentHashMap<>();

    private SessionOps() {
    }

    /** Runs {@code op} and returns the response body, or null if {@code op} is not a neutral operation. */
    @SuppressWarnings("unchecked")
    static String run(String op, Map<String, String> q) {
        switch (op) {
            case "none":
                return "ok";
            case "count":
                return "count=" + count(Sessions.get());
            case "read":
                return new TreeMap<>(Sessions.get()).toString();
            case "get":
                return String.valueOf(Sessions.get().get(q.get("k")));
            case "put":
                Sessions.get().put(q.get("k"), q.get("v"));
                return "ok";
            case "remove":
                Sessions.get().remove(q.get("k"));
                return "ok";
            case "cart":
                Sessions.get().put("cart", new ArrayList<>(List.of("a")));
                return "ok";
            case "nested":
                Sessions.get().put("profile", profile());
                return "ok";
            case "profile":
                return String.valueOf(Sessions.get().get("profile"));
            case "tag":
                ((List<Object>) ((Map<String, Object>) Sessions.get().get("profile")).get("tags")).add(q.get("tag"));
                return "ok";
            case "regenerate":
                Session fresh = Sessions.regenerate();
                if (q.containsKey("k")) {
                    fresh.put(q.get("k"), q.get("v"));
                }
                return "ok";
            case "login":
                Sessions.login(q.get("user"));
                return "ok";
            case "logout":
                Sessions.logout();
                return "ok";
            case "whoami":
                return String.valueOf(Sessions.userId().orElse("anonymous"));
            case "big":
                Sessions.get().put("blob", incompressible(Integer.parseInt(q.get("n"))));
                return "ok";
            case "throw":
                Sessions.get().put("v", "from a failed request");
                throw new IllegalStateException("handler failed on purpose");
            default:
                return null;
        }
    }

    static long count(Session session) {
        return ((Number) session.merge("count", 1L, (a, b) -> ((Number) a).longValue() + 1)).longValue();
    }

    /** {@code n} random letters and digits: the signed cookie compresses, so a large session must not. */
    static String incompressible(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Random random = new Random(n);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The nested value stored by {@code nested}, as built here (and as it must read back). */
    static Map<String, Object> profile() {
        Map<String, Object> deep = new LinkedHashMap<>();
        deep.put("deep", true);
        deep.put("none", null);
        List<Object> sizes = new ArrayList<>(List.of(1, 2.5));
        sizes.add(deep);
        Map<String, Object> prefs = new LinkedHashMap<>();
        prefs.put("theme", "dark");
        prefs.put("sizes", sizes);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("name", "ada");
        profile.put("tags", new ArrayList<>(List.of("a", "b")));
        profile.put("prefs", prefs);
        profile.put("big", new BigInteger("123456789012345678901234567890"));
        profile.put("unicode", "Grüße, 世界");
        return profile;
    }

    /** Adds to the cart list stored by {@code cart}, in place: the change a late handler makes. */
    @SuppressWarnings("unchecked")
    static void addToCartInPlace() {
        ((List<Object>) Sessions.get().get("cart")).add("b");
    }

    /** Tries to change the session after its cookie was written; records and returns the outcome. */
    static String latePut(String id) {
        String outcome;
        try {
            Sessions.get().put("late", "change after the cookie was written");
            outcome = "accepted";
        } catch (SessionCommittedException e) {
            outcome = "refused";
        }
        if (id != null) {
            LATE_CHANGES.put(id, outcome);
        }
        return outcome;
    }
}
