package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.testkit.Browser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-user index of {@link RedisSessionStore}: listing a user's sessions, revoking one, all, or all
 * but the current one, kept exact through logins, logouts, regenerates, expiry and concurrency. Run on
 * standalone Redis and on a cluster by the subclasses.
 */
abstract class RedisUserIndexContract extends RedisStoreContract {

    static String fingerprint(Browser browser) {
        String[] seen = new String[1];
        browser.request(s -> seen[0] = s.fingerprint().orElse(null));
        return seen[0];
    }

    static String userId(Browser browser) {
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Sessions.userId().orElse(null));
        return (String) seen[0];
    }

    /** The user's index: a sorted set of session hashes (never ids). */
    static String indexKey(String user) {
        return PREFIX + "users:{" + SessionIds.userTag(user) + "}:seen";
    }

    static String createdKey(String user) {
        return PREFIX + "users:{" + SessionIds.userTag(user) + "}:created";
    }

    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";

    @Test
    void aUsersSessionsAreListedWithFingerprintsAndTimesButNoData() {
        Instant before = Instant.now().minusSeconds(1);
        Browser laptop = browser();
        Browser phone = browser();
        Browser bob = browser();
        laptop.request(s -> {
            Sessions.login(ALICE);
            s.put("secret_note", "private");
        });
        phone.request(s -> Sessions.login(ALICE));
        bob.request(s -> Sessions.login(BOB));
        browser().request(s -> s.put("anonymous", true));

        List<UserSession> sessions = store.sessionsOf(ALICE);
        assertThat(sessions).extracting(UserSession::fingerprint)
                .containsExactlyInAnyOrder(fingerprint(laptop), fingerprint(phone));
        assertThat(sessions).allSatisfy(session -> {
            assertThat(session.fingerprint()).matches("[0-9a-f]{16}");
            assertThat(session.created()).isAfter(before).isBeforeOrEqualTo(session.lastSeen());
            assertThat(session.toString()).doesNotContain("private").doesNotContain(RedisStoreContract.sessionId(laptop));
        });
        assertThat(store.sessionsOf(BOB)).extracting(UserSession::fingerprint).containsExactly(fingerprint(bob));
        assertThat(store.sessionsOf("carol")).isEmpty();
        assertThat(fingerprint(browser())).isNull();
        assertThat(redis.keys()).as("user ids never appear in key names").hasSize(8) // 4 sessions, 2 users with 2 index keys each
                // '@' is outside the alphabets of session ids (base64url) and user tags (hex), so only a user id
                // could put it in a key name; checking for "alice" failed whenever a random id contained it.
                .noneMatch(k -> k.contains("@"));
    }

    @Test
    void aSessionRevokedByItsUsersVersionLeavesStoreAndIndex() {
        Map<String, String> versions = new ConcurrentHashMap<>(Map.of("alice", "1"));
        Browser browser = browser(config -> config.sessionVersions(user -> Optional.ofNullable(versions.get(user))));
        browser.request(s -> Sessions.login("alice"));
        assertThat(store.sessionsOf("alice")).hasSize(1);
        versions.put("alice", "2");
        Browser.Response revoked = browser.request(s -> assertThat(s).isEmpty());
        assertThat(revoked.deletesCookie()).isTrue();
        assertThat(store.sessionsOf("alice")).isEmpty();
        assertThat(redis.keys()).isEmpty();
    }

    @Test
    void revokeAllEndsEverySessionOnItsNextRequestAndANewLoginWorks() {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.request(s -> Sessions.login("alice"));
        phone.request(s -> Sessions.login("alice"));

        assertThat(store.revokeAll("alice")).isEqualTo(2);

        Browser.Response next = phone.request(s -> assertThat(s).isEmpty());
        assertThat(next.deletesCookie()).isTrue();
        assertThat(userId(laptop)).isNull();
        assertThat(store.sessionsOf("alice")).isEmpty();

        phone.request(s -> Sessions.login("alice"));
        assertThat(userId(phone)).isEqualTo("alice");
        assertThat(store.sessionsOf("alice")).extracting(UserSession::fingerprint).containsExactly(fingerprint(phone));
    }

    @Test
    void revokeAllExceptTheCurrentSessionKeepsIt() {
        Browser laptop = browser();
        Browser phone = browser();
        Browser tablet = browser();
        for (Browser b : List.of(laptop, phone, tablet)) {
            b.request(s -> Sessions.login("alice"));
        }
        int[] revoked = new int[1];
        laptop.request(s -> revoked[0] = store.revokeAllExcept(Sessions.userId().orElseThrow(),
                s.fingerprint().orElseThrow()));
        assertThat(revoked[0]).isEqualTo(2);
        assertThat(userId(laptop)).isEqualTo("alice");
        assertThat(userId(phone)).isNull();
        assertThat(userId(tablet)).isNull();
        assertThat(store.sessionsOf("alice")).extracting(UserSession::fingerprint).containsExactly(fingerprint(laptop));
    }

    @Test
    void revokeOneEndsOnlyThatSession() {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.request(s -> Sessions.login("alice"));
        phone.request(s -> Sessions.login("alice"));
        assertThat(store.revoke("alice", fingerprint(phone))).isTrue();
        assertThat(store.revoke("alice", "0".repeat(16))).as("no such fingerprint").isFalse();
        assertThat(store.revoke("bob", fingerprint(laptop))).as("another user's session").isFalse();
        assertThat(userId(phone)).isNull();
        assertThat(userId(laptop)).isEqualTo("alice");
    }

    @Test
    void logoutRegenerateAndExpiryLeaveNothingInTheIndex() {
        Browser browser = browser();
        browser.request(s -> Sessions.login("alice"));
        String first = fingerprint(browser);
        browser.request(s -> {
            s.regenerate();
            s.put(Sessions.USER_ID_KEY, "alice");
        });
        assertThat(store.sessionsOf("alice")).extracting(UserSession::fingerprint)
                .containsExactly(fingerprint(browser)).doesNotContain(first);
        assertThat(redis.sortedSet(indexKey("alice"))).hasSize(1);

        browser.request(s -> Sessions.logout());
        assertThat(redis.sortedSet(indexKey("alice"))).isEmpty();
        assertThat(redis.keys()).isEmpty();

        Browser expiring = browser();
        expiring.request(s -> Sessions.login("alice"));
        Browser staying = browser();
        staying.request(s -> Sessions.login("alice"));
        redis.delete(userKeys("alice", expiring)[0]); // as its TTL would
        assertThat(store.sessionsOf("alice")).extracting(UserSession::fingerprint).containsExactly(fingerprint(staying));
        assertThat(redis.sortedSet(indexKey("alice"))).containsExactly(RedisKeys.hashOf(sessionId(staying)));
        assertThat(redis.hashFields(createdKey("alice"))).containsExactly(RedisKeys.hashOf(sessionId(staying)));
    }

    @Test
    void puttingAnotherUserIdMovesTheSessionToThatUsersIndex() {
        Browser browser = browser();
        browser.request(s -> Sessions.login("alice"));
        browser.request(s -> s.put(Sessions.USER_ID_KEY, "bob"));
        assertThat(userId(browser)).isEqualTo("bob");
        assertThat(store.sessionsOf("alice")).isEmpty();
        assertThat(store.sessionsOf("bob")).extracting(UserSession::fingerprint).containsExactly(fingerprint(browser));
        browser.request(s -> s.remove(Sessions.USER_ID_KEY));
        assertThat(store.sessionsOf("bob")).isEmpty();
        assertThat(redis.keys()).as("an empty session is deleted").isEmpty();
    }

    @Test
    void underConcurrentLoginsAndLogoutsTheIndexNamesExactlyTheLiveSessions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Browser>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                boolean stayLoggedIn = i % 3 == 0;
                results.add(pool.submit(() -> {
                    Browser b = browser();
                    b.request(s -> Sessions.login("alice"));
                    b.request(s -> s.put("page", "/cart"));
                    if (!stayLoggedIn) {
                        b.request(s -> Sessions.logout());
                    }
                    return b;
                }));
                if (i % 8 == 7) {
                    pool.submit(() -> store.sessionsOf("alice"));
                }
            }
            Set<String> live = new HashSet<>();
            for (Future<Browser> result : results) {
                Browser b = result.get(2, TimeUnit.MINUTES);
                if (b.cookie() != null) {
                    live.add(fingerprint(b));
                }
            }
            assertThat(live).hasSize(8);
            assertThat(store.sessionsOf("alice")).extracting(UserSession::fingerprint).containsExactlyInAnyOrderElementsOf(live);
            assertThat(redis.sortedSet(indexKey("alice"))).hasSize(8);
            assertThat(redis.hashFields(createdKey("alice"))).as("creation times in step").hasSize(8);
            assertThat(redis.keys()).hasSize(10); // eight sessions and the two index keys

            List<Future<Integer>> revokes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                revokes.add(pool.submit(() -> store.revokeAll("alice")));
            }
            int total = 0;
            for (Future<Integer> r : revokes) {
                total += r.get(2, TimeUnit.MINUTES);
            }
            assertThat(total).as("each session is ended exactly once").isEqualTo(8);
            assertThat(redis.keys()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
