package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionIdsTest {

    @Test
    void newIdsAre32Base64UrlCharactersAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = SessionIds.newId();
            assertThat(id).hasSize(SessionIds.ID_LENGTH).matches("[A-Za-z0-9_-]{32}");
            assertThat(SessionIds.isId(id)).isTrue();
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void theFingerprintIsTheFirstEightBytesOfTheDigestWhichIsSha256OfTheTaggedId() throws Exception {
        String id = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(("session:" + id).getBytes(StandardCharsets.UTF_8));
        assertThat(SessionIds.digest(id)).isEqualTo(expected);
        assertThat(SessionIds.fingerprint(id)).isEqualTo(HexFormat.of().formatHex(expected, 0, 8));
        assertThat(SessionIds.isFingerprint(SessionIds.fingerprint(id))).isTrue();
        assertThat(SessionIds.isFingerprint("0123456789ABCDEF")).isFalse();
        assertThat(SessionIds.isFingerprint("0123")).isFalse();
    }

    @Test
    void userIdsAreTaggedAsTextSo42AndTheString42AreOneUser() {
        assertThat(SessionIds.userTag(42)).isEqualTo(SessionIds.userTag("42")).hasSize(SessionIds.USER_TAG_LENGTH)
                .matches("[0-9a-f]{32}").isNotEqualTo(SessionIds.userTag("43"));
    }

    @Test
    void payloadsRoundTripAndAnythingElseReadsAsNone() {
        String id = SessionIds.newId();
        String tag = SessionIds.userTag("alice");
        Map<String, Object> payload = SessionIds.payload(id, tag);
        assertThat(payload).containsExactly(Map.entry("sid", id), Map.entry("u", tag));
        assertThat(SessionIds.idOf(payload)).isEqualTo(id);
        assertThat(SessionIds.userTagOf(payload)).isEqualTo(tag);
        assertThat(SessionIds.payload(id, null)).containsOnlyKeys("sid");

        assertThat(SessionIds.idOf(null)).isNull();
        assertThat(SessionIds.idOf(Map.of("sid", 42))).isNull();
        assertThat(SessionIds.idOf(Map.of("sid", id.substring(1)))).isNull();
        assertThat(SessionIds.idOf(Map.of("sid", id.substring(1) + "="))).isNull();
        assertThat(SessionIds.userTagOf(Map.of("u", tag.toUpperCase(java.util.Locale.ROOT)))).isNull();
        assertThat(SessionIds.userTagOf(Map.of("sid", id))).isNull();
    }
}
