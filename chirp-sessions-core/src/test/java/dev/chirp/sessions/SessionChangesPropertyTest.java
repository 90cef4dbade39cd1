package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.Gen;
import dev.chirp.sessions.testkit.MutableClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of every {@code Map} operation and in-place change, run as one request on a stored
 * session: the change set the request hands over, applied to the session as it was loaded, gives the
 * session as the request left it; and no key the request did not write or change in place is in it. Run
 * on a merging server-side store and on the cookie store with the verified-cookie cache (whose lists and
 * maps the session shares until it copies them).
 */
class SessionChangesPropertyTest {

    private static final String SECRET = "session-changes-property-0123456789-0123456789";
    private static final String[] KEYS = {"a", "b", "c", "d", "e", "f"};

    static Stream<Long> seeds() {
        return Gen.seeds(300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aMergingStoreEndsWithTheSessionTheRequestLeft(long seed) {
        Gen gen = new Gen(seed).finiteNumbers();
        gen.check(() -> {
            MergingMemoryStore store = new MergingMemoryStore();
            SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder(SECRET).store(store)
                    .clock(MutableClock.at("2026-12-07T10:00:00Z")).build());
            Browser browser = new Browser(middleware);
            Map<String, Object> loaded = loaded(gen);
            browser.request(s -> s.putAll(MergingMemoryStore.copy(loaded)));
            store.saves.clear();
            store.calls.clear();

            Set<String> touched = new LinkedHashSet<>();
            List<Map<String, Object>> left = new ArrayList<>();
            browser.request(s -> {
                new Operations(gen, s, touched).run(gen.between(0, 12));
                left.add(MergingMemoryStore.copy(new LinkedHashMap<>(s)));
            });
            Map<String, Object> end = left.get(0);

            if (end.isEmpty()) {
                assertThat(store.data).as("an emptied session is deleted").isEmpty();
                return;
            }
            assertThat(store.only()).as("stored after " + touched).isEqualTo(end);
            if (store.saves.isEmpty()) {
                assertThat(end).as("nothing saved, nothing changed").isEqualTo(MergingMemoryStore.copy(loaded));
                return;
            }
            SessionChanges changes = store.lastSave();
            assertThat(changes.isWhole()).isFalse();
            assertThat(union(changes)).as("only keys the request wrote or changed").isSubsetOf(touched);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theChangeSetAppliedToTheLoadedCookieGivesTheFinalSession(long seed) {
        Gen gen = new Gen(seed).finiteNumbers();
        gen.check(() -> {
            SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder(SECRET)
                    .clock(MutableClock.at("2026-12-07T10:00:00Z")).build());
            Browser browser = new Browser(middleware);
            Map<String, Object> loaded = loaded(gen);
            browser.request(s -> s.putAll(MergingMemoryStore.copy(loaded)));
            String cookie = browser.cookie();
            browser.request(Session::size); // the verified-cookie cache now holds it: the next request shares

            Set<String> touched = new LinkedHashSet<>();
            List<SessionChanges> changes = new ArrayList<>();
            List<Map<String, Object>> left = new ArrayList<>();
            browser.request(s -> {
                new Operations(gen, s, touched).run(gen.between(0, 12));
                changes.add(s.changeSet(List.of()));
                left.add(MergingMemoryStore.copy(new LinkedHashMap<>(s)));
            });

            Map<String, Object> applied = MergingMemoryStore.copy(loaded);
            for (String key : changes.get(0).removed()) {
                applied.remove(key);
            }
            for (String key : changes.get(0).changed()) {
                applied.put(key, left.get(0).get(key));
            }
            assertThat(applied).as("loaded + changes after " + touched).isEqualTo(left.get(0));
            assertThat(union(changes.get(0))).isSubsetOf(touched);

            Map<String, Object> reread = new LinkedHashMap<>();
            new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie,
                    s -> reread.putAll(MergingMemoryStore.copy(new LinkedHashMap<>(s))));
            assertThat(reread).as("the cached session is untouched").isEqualTo(MergingMemoryStore.copy(loaded));
        });
    }

    private static Set<String> union(SessionChanges changes) {
        Set<String> all = new LinkedHashSet<>(changes.changed());
        all.addAll(changes.removed());
        return all;
    }

    /** A stored session: always {@code a}, so that something is stored, and any of the other keys. */
    private static Map<String, Object> loaded(Gen gen) {
        Map<String, Object> loaded = new LinkedHashMap<>();
        for (String key : KEYS) {
            if (key.equals("a") || gen.chance(0.6)) {
                loaded.put(key, value(gen, 2));
            }
        }
        return loaded;
    }

    /** A JSON value, half of them lists or maps (which can change in place), nested up to {@code depth}. */
    private static Object value(Gen gen, int depth) {
        if (depth == 0 || gen.chance(0.5)) {
            return gen.chance(0.5) ? gen.between(-5, 5) : gen.oneOf("x", "y", "", true, null, 2.5);
        }
        if (gen.chance(0.5)) {
            List<Object> list = new ArrayList<>();
            for (int i = gen.between(0, 3); i > 0; i--) {
                list.add(value(gen, depth - 1));
            }
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = gen.between(0, 3); i > 0; i--) {
            map.put(gen.oneOf("p", "q", "r"), value(gen, depth - 1));
        }
        return map;
    }

    /** One request's handler: random operations, recording every key it writes or changes in place. */
    private static final class Operations {
        private final Gen gen;
        private final Session s;
        private final Set<String> touched;
        private int unique;

        Operations(Gen gen, Session s, Set<String> touched) {
            this.gen = gen;
            this.s = s;
            this.touched = touched;
        }

        void run(int count) {
            for (int i = 0; i < count; i++) {
                step(gen.oneOf(KEYS));
            }
        }

        private void step(String k) {
            switch (gen.between(0, 17)) {
                case 0 -> write(k, () -> s.put(k, value(gen, 2)));
                case 1 -> write(k, () -> s.remove(k));
                case 2 -> s.get(k);
                case 3 -> changeInPlace(k, s.get(k));
                case 4 -> {
                    touched.addAll(s.keySet());
                    s.clear();
                }
                case 5 -> write(k, () -> s.putIfAbsent(k, value(gen, 1)));
                case 6 -> write(k, () -> s.merge(k, nonNull(value(gen, 1)), (old, v) -> gen.chance(0.3) ? null : v));
                case 7 -> write(k, () -> s.compute(k, (key, old) -> gen.oneOf(null, old, "new")));
                case 8 -> {
                    Object value = s.computeIfAbsent(k, key -> gen.chance(0.5) ? new ArrayList<>() : null);
                    touched.add(k);
                    changeInPlace(k, value);
                }
                case 9 -> {
                    touched.addAll(s.keySet());
                    s.replaceAll((key, v) -> gen.chance(0.8) ? v : value(gen, 1));
                }
                case 10 -> {
                    Map<String, Object> more = new LinkedHashMap<>();
                    more.put(k, value(gen, 1));
                    more.put(gen.oneOf(KEYS), value(gen, 1));
                    touched.addAll(more.keySet());
                    s.putAll(more);
                }
                case 11 -> {
                    s.values();
                    s.containsValue(List.of());
                    s.equals(Map.of());
                }
                case 12 -> {
                    for (Map.Entry<String, Object> e : s.entrySet()) {
                        if (gen.chance(0.3)) {
                            changeInPlace(e.getKey(), e.getValue());
                        }
                    }
                }
                case 13 -> {
                    // The same list or map under two keys: a change in place is a change of both.
                    Object value = s.get(k);
                    if (isContainer(value)) {
                        String other = gen.oneOf(KEYS);
                        touched.add(other);
                        s.put(other, value);
                        changeInPlace(k, value);
                    }
                }
                case 14 -> write(k, () -> s.replace(k, value(gen, 1)));
                case 15 -> write(k, () -> s.remove(k, s.get(k)));
                case 16 -> {
                    s.getOrDefault(k, List.of());
                    s.containsKey(k);
                    s.size();
                    s.isChanged();
                }
                default -> {
                    // A list or map the caller keeps after putting it, changed afterwards.
                    List<Object> mine = new ArrayList<>(List.of(unique++));
                    write(k, () -> s.put(k, mine));
                    if (gen.chance(0.5)) {
                        mine.add(unique++);
                    }
                }
            }
        }

        private void write(String key, Runnable op) {
            touched.add(key);
            op.run();
        }

        private static Object nonNull(Object value) {
            return value == null ? "v" : value; // merge refuses null, as every Map does
        }

        private static boolean isContainer(Object value) {
            return value instanceof List || value instanceof Map;
        }

        /** Changes {@code value} (found under {@code key}) somewhere inside, if it is a list or map. */
        @SuppressWarnings("unchecked")
        private void changeInPlace(String key, Object value) {
            if (!isContainer(value)) {
                return;
            }
            touched.add(key);
            Object target = value;
            // Walk down a random path, so that deep changes are changes of the top-level key too.
            while (gen.chance(0.4)) {
                Object inner = null;
                if (target instanceof List<?> list && !list.isEmpty()) {
                    inner = list.get(gen.between(0, list.size() - 1));
                } else if (target instanceof Map<?, ?> map && !map.isEmpty()) {
                    inner = new ArrayList<>(map.values()).get(gen.between(0, map.size() - 1));
                }
                if (!isContainer(inner)) {
                    break;
                }
                target = inner;
            }
            if (target instanceof List<?> list) {
                List<Object> l = (List<Object>) list;
                if (!l.isEmpty() && gen.chance(0.3)) {
                    l.remove(0);
                } else {
                    l.add(unique++);
                }
            } else {
                Map<String, Object> m = (Map<String, Object>) target;
                if (!m.isEmpty() && gen.chance(0.3)) {
                    m.remove(m.keySet().iterator().next());
                } else {
                    m.put("u" + unique, unique++);
                }
            }
        }
    }
}
