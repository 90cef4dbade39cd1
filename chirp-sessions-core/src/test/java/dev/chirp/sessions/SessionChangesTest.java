package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Which keys a request hands to the store, rule by rule: set, replaced, changed in place, removed,
 * through every {@code Map} method; and that a merging store then keeps concurrent requests' changes.
 */
class SessionChangesTest {

    private static final String SECRET = "session-changes-secret-0123456789-0123456789";

    private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    private final MergingMemoryStore store = new MergingMemoryStore();
    private final SessionMiddleware middleware = new SessionMiddleware(
            SessionConfig.builder(SECRET).store(store).clock(clock).build());

    /** A browser whose session holds {@code initial} (saved whole, as a new session is). */
    private Browser browserWith(Map<String, Object> initial) {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.putAll(initial));
        assertThat(store.lastSave().isWhole()).isTrue();
        store.saves.clear();
        store.calls.clear();
        return browser;
    }

    private static Map<String, Object> cartAndName() {
        Map<String, Object> initial = new LinkedHashMap<>();
        initial.put("cart", new ArrayList<>(List.of("apple")));
        initial.put("prefs", new LinkedHashMap<>(Map.of("theme", "dark", "tags", List.of("a"))));
        initial.put("name", "alice");
        initial.put("count", 1);
        return initial;
    }

    /** Runs {@code handler} as one request and returns the change set it saved. */
    private SessionChanges changesOf(Browser browser, Consumer<Session> handler) {
        browser.request(handler);
        assertThat(store.saves).as("one save").hasSize(1);
        SessionChanges changes = store.saves.remove(0);
        assertThat(changes.isWhole()).isFalse();
        return changes;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void aNewSessionIsSavedWholeAndAnExistingOneWithTheKeysItSet() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            s.put("name", "bob");
            s.put("added", true);
        });
        assertThat(changes.changed()).containsExactly("name", "added");
        assertThat(changes.removed()).isEmpty();
        assertThat(store.only()).containsEntry("name", "bob").containsEntry("added", true)
                .containsEntry("cart", List.of("apple"));
    }

    @Test
    void puttingTheSameValueAgainCountsAsSettingIt() {
        Browser browser = browserWith(cartAndName());
        assertThat(changesOf(browser, s -> s.put("name", "alice")).changed()).containsExactly("name");
    }

    @Test
    void aRemovalIsAChangeAndRemovingAnAbsentKeyIsNone() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            s.remove("name");
            s.remove("absent");
        });
        assertThat(changes.changed()).isEmpty();
        assertThat(changes.removed()).containsExactly("name");

        store.calls.clear();
        browser.request(s -> s.remove("absent"));
        assertThat(store.calls).containsExactly("load");
    }

    @Test
    void aKeyPutThenRemovedIsRemovedAndRemovedThenPutIsChanged() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            s.put("fresh", 1);
            s.remove("fresh");
            s.remove("name");
            s.put("name", "carol");
        });
        assertThat(changes.changed()).containsExactly("name");
        assertThat(changes.removed()).containsExactly("fresh");
        assertThat(store.only()).containsEntry("name", "carol").doesNotContainKey("fresh");
    }

    @Test
    void clearRemovesEveryKeyPresent() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            s.clear();
            s.put("count", 2);
        });
        assertThat(changes.removed()).containsExactlyInAnyOrder("cart", "prefs", "name");
        assertThat(changes.changed()).containsExactly("count");
        assertThat(store.only()).isEqualTo(Map.of("count", 2));
    }

    @Test
    void aListChangedInPlaceIsAChangeOfItsKey() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> list(s.get("cart")).add("pear"));
        assertThat(changes.changed()).containsExactly("cart");
        assertThat(store.only().get("cart")).isEqualTo(List.of("apple", "pear"));
    }

    @Test
    void aChangeDeepInsideAMapIsAChangeOfItsTopLevelKey() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> list(map(s.get("prefs")).get("tags")).add("b"));
        assertThat(changes.changed()).containsExactly("prefs");
        assertThat(map(store.only().get("prefs")).get("tags")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void aListOnlyReadIsNotWrittenWhenAnotherKeyIs() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            assertThat(list(s.get("cart"))).containsExactly("apple");
            s.getOrDefault("prefs", Map.of());
            s.put("name", "bob");
        });
        assertThat(changes.changed()).containsExactly("name");
    }

    @Test
    void valuesAndEntrySetCompareEachKeyOnItsOwn() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            for (Object value : s.values()) {
                if (value instanceof Map<?, ?> m) {
                    map(m).put("theme", "light");
                }
            }
        });
        assertThat(changes.changed()).containsExactly("prefs");

        changes = changesOf(browser, s -> {
            for (Map.Entry<String, Object> e : s.entrySet()) {
                if (e.getKey().equals("cart")) {
                    list(e.getValue()).clear();
                }
            }
            s.put("count", 5);
        });
        assertThat(changes.changed()).containsExactlyInAnyOrder("count", "cart");
        assertThat(store.only()).containsEntry("cart", List.of()).containsEntry("prefs",
                Map.of("theme", "light", "tags", List.of("a")));
    }

    @Test
    void aListPutAndChangedAfterwardsIsWrittenAsItIsAtTheCommit() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            List<Object> mine = new ArrayList<>();
            s.put("wishlist", mine);
            mine.add("kite");
        });
        assertThat(changes.changed()).containsExactly("wishlist");
        assertThat(store.only().get("wishlist")).isEqualTo(List.of("kite"));
    }

    @Test
    void aListMovedToAnotherKeyAndChangedCountsForBothKeys() {
        Browser browser = browserWith(cartAndName());
        SessionChanges changes = changesOf(browser, s -> {
            List<Object> cart = list(s.get("cart"));
            s.put("saved", cart);
            cart.add("plum");
        });
        assertThat(changes.changed()).containsExactlyInAnyOrder("saved", "cart");
        assertThat(store.only()).containsEntry("cart", List.of("apple", "plum"))
                .containsEntry("saved", List.of("apple", "plum"));
    }

    @Test
    void aListChangedAndChangedBackIsNoChange() {
        Browser browser = browserWith(cartAndName());
        store.calls.clear();
        browser.request(s -> {
            List<Object> cart = list(s.get("cart"));
            cart.add("plum");
            cart.remove("plum");
        });
        assertThat(store.calls).containsExactly("load");
    }

    @Test
    void compoundMethodsCountPerKey() {
        Browser browser = browserWith(cartAndName());
        assertThat(changesOf(browser, s -> s.merge("count", 1, (a, b) -> (Integer) a + (Integer) b)).changed())
                .containsExactly("count");
        assertThat(changesOf(browser, s -> s.compute("name", (k, v) -> v + "!")).changed())
                .containsExactly("name");
        SessionChanges removedByCompute = changesOf(browser, s -> s.computeIfPresent("name", (k, v) -> null));
        assertThat(removedByCompute.removed()).containsExactly("name");
        assertThat(removedByCompute.changed()).isEmpty();
        assertThat(changesOf(browser, s -> s.putIfAbsent("name", "dave")).changed()).containsExactly("name");
        assertThat(changesOf(browser, s -> s.replace("name", "dave", "erin")).changed()).containsExactly("name");
        assertThat(changesOf(browser, s -> s.remove("name", "erin")).removed()).containsExactly("name");
        assertThat(changesOf(browser, s -> s.putAll(Map.of("x", 1, "y", List.of()))).changed())
                .containsExactlyInAnyOrder("x", "y");
        assertThat(changesOf(browser, s -> s.replaceAll((k, v) -> v)).changed())
                .containsExactlyInAnyOrder("cart", "prefs", "count", "x", "y");
    }

    @Test
    void computeIfAbsentOnAPresentListCountsOnlyWhenTheListIsChanged() {
        Browser browser = browserWith(cartAndName());
        store.calls.clear();
        browser.request(s -> s.computeIfAbsent("cart", k -> new ArrayList<>()));
        assertThat(store.calls).containsExactly("load");
        SessionChanges changes = changesOf(browser,
                s -> list(s.computeIfAbsent("cart", k -> new ArrayList<>())).add("fig"));
        assertThat(changes.changed()).containsExactly("cart");
    }

    @Test
    void entriesAreReadOnlySoNoChangeEscapesTheChangeSet() {
        Browser browser = browserWith(cartAndName());
        store.calls.clear();
        assertThatThrownBy(() -> browser.request(s -> s.entrySet().iterator().next().setValue(List.of())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(store.calls).containsExactly("load");
        assertThat(store.only()).containsEntry("cart", List.of("apple"));
    }

    @Test
    void aRegeneratedSessionIsSavedWhole() {
        Browser browser = browserWith(cartAndName());
        browser.request(s -> {
            s.regenerate();
            s.put("user_id", "alice");
        });
        assertThat(store.lastSave().isWhole()).isTrue();
        assertThat(store.only()).isEqualTo(Map.of("user_id", "alice"));
    }

    @Test
    void timeoutStampsAreChangedKeysWhenTheSaveWritesThemAnew() {
        SessionMiddleware idle = new SessionMiddleware(SessionConfig.builder(SECRET).store(store).clock(clock)
                .idleTimeout(Duration.ofMinutes(30)).build());
        Browser browser = new Browser(idle);
        browser.request(s -> s.put("a", 1));
        clock.advance(Duration.ofSeconds(5));
        browser.request(s -> s.put("b", 2));
        assertThat(store.lastSave().changed()).containsExactly("b", SessionChanges.LAST_SEEN_AT_KEY);

        // A session saved before timeouts were turned on gets both stamps on its next write.
        Browser old = browserWith(Map.of("a", 1));
        clock.advance(Duration.ofSeconds(5));
        SessionMiddleware absolute = new SessionMiddleware(SessionConfig.builder(SECRET).store(store).clock(clock)
                .absoluteTimeout(Duration.ofHours(8)).build());
        Browser again = new Browser(absolute);
        again.setCookie(old.cookie());
        again.request(s -> s.put("b", 2));
        assertThat(store.lastSave().changed())
                .containsExactly("b", SessionChanges.CREATED_AT_KEY, SessionChanges.LAST_SEEN_AT_KEY);
        clock.advance(Duration.ofSeconds(5));
        again.request(s -> s.put("c", 3));
        assertThat(store.lastSave().changed()).as("the stamps stand still without an idle timeout")
                .containsExactly("c");
    }

    @Test
    void aReadOnlyRequestHandsTheStoreNothingToSave() {
        Browser browser = browserWith(cartAndName());
        store.calls.clear();
        boolean[] changed = new boolean[1];
        browser.request(s -> {
            s.get("cart");
            s.values();
            changed[0] = s.isChanged();
        });
        assertThat(changed[0]).isFalse();
        assertThat(store.calls).containsExactly("load");
    }

    @Test
    void isChangedSeesSetsRemovalsAndInPlaceChanges() {
        Browser browser = browserWith(cartAndName());
        List<Boolean> seen = new ArrayList<>();
        browser.request(s -> {
            List<Object> cart = list(s.get("cart"));
            seen.add(s.isChanged());
            cart.add("x");
            seen.add(s.isChanged());
        });
        browser.request(s -> {
            s.remove("name");
            seen.add(s.isChanged());
        });
        assertThat(seen).containsExactly(false, true, true);
    }

    /**
     * Two requests of the stored session, loaded before either saves: both handlers run, then
     * {@code earlier} commits, then {@code later}.
     */
    private void overlapping(Consumer<Session> earlier, Consumer<Session> later) {
        Browser browser = browserWith(cartAndName());
        String cookie = "chirp_session=" + browser.cookie();
        SessionRequest first = middleware.begin(cookie);
        SessionRequest second = middleware.begin(cookie);
        first.session().size(); // both load before either saves
        second.session().size();
        earlier.accept(first.session());
        later.accept(second.session());
        first.commit((n, v) -> { });
        second.commit((n, v) -> { });
    }

    @Test
    void concurrentRequestsSettingDifferentKeysAreAllKept() {
        overlapping(s -> s.put("a", 1), s -> {
            s.put("b", 2);
            s.remove("name");
        });
        assertThat(store.only()).containsEntry("a", 1).containsEntry("b", 2).doesNotContainKey("name")
                .containsEntry("cart", List.of("apple"));
    }

    @Test
    void aRequestThatOnlyReadTheCartNeverWritesItOverAConcurrentChange() {
        overlapping(s -> list(s.get("cart")).add("pear"), s -> {
            assertThat(list(s.get("cart"))).containsExactly("apple");
            s.put("viewed", "cart");
        });
        assertThat(store.only()).containsEntry("cart", List.of("apple", "pear")).containsEntry("viewed", "cart");
    }

    @Test
    void theSameKeyFromTwoRequestsKeepsTheLastSave() {
        overlapping(s -> s.put("name", "first"), s -> s.put("name", "second"));
        assertThat(store.only()).containsEntry("name", "second");
    }

    @Test
    void theCookieStoreStillKeepsTheWholeSession() {
        SessionMiddleware cookies = new SessionMiddleware(SessionConfig.builder(SECRET).clock(clock).build());
        Browser browser = new Browser(cookies);
        browser.request(s -> s.putAll(cartAndName()));
        browser.request(s -> s.put("name", "bob"));
        Map<String, Object> seen = new LinkedHashMap<>();
        browser.request(seen::putAll);
        assertThat(seen).containsEntry("name", "bob").containsEntry("cart", List.of("apple")).hasSize(4);
    }

    @Test
    void ofCopiesItsSetsAndRefusesAKeyInBoth() {
        Set<String> changed = new java.util.HashSet<>(Set.of("a"));
        SessionChanges changes = SessionChanges.of(changed, Set.of("b"));
        changed.add("c");
        assertThat(changes.changed()).containsExactly("a");
        assertThat(changes.isEmpty()).isFalse();
        assertThat(changes).hasToString("SessionChanges[changed=[a], removed=[b]]");
        assertThat(SessionChanges.of(Set.of(), Set.of()).isEmpty()).isTrue();
        assertThat(SessionChanges.whole().isEmpty()).isFalse();
        assertThatThrownBy(() -> SessionChanges.of(Set.of("a"), Set.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a key must not be both changed and removed: \"a\"");
        assertThatThrownBy(() -> changes.changed().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
