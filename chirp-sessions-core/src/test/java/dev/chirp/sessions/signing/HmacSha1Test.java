package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.Gen;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link HmacSha1} against the JDK's {@code Mac} and RFC 2202's test cases. */
class HmacSha1Test {

    static Stream<Long> seeds() {
        return Gen.seeds(200);
    }

    private static byte[] jdk(byte[] key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(message);
    }

    private static byte[] bytes(Gen gen, int maxLength) {
        byte[] b = new byte[gen.between(0, maxLength)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) gen.between(0, 255);
        }
        return b;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void signsAsTheJdksMacForAnyKeyAndMessageOnBothPaths(long seed) {
        Gen gen = new Gen(seed);
        gen.check(() -> {
            try {
                // Keys across the block size (64 bytes: longer ones are hashed first), messages across 1-5 blocks.
                byte[] key = bytes(gen, 150);
                if (key.length == 0) {
                    key = new byte[] {1};
                }
                HmacSha1 kept = new HmacSha1(key);
                HmacSha1 pooled = new HmacSha1(key, true);
                for (int i = 0; i < 5; i++) {
                    byte[] message = bytes(gen, 330);
                    int offset = gen.between(0, message.length);
                    int length = gen.between(0, message.length - offset);
                    byte[] part = java.util.Arrays.copyOfRange(message, offset, offset + length);
                    byte[] expected = jdk(key, part);
                    assertThat(kept.sign(message, offset, length)).isEqualTo(expected);
                    assertThat(pooled.sign(message, offset, length)).isEqualTo(expected);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void rfc2202TestCases() {
        HexFormat hex = HexFormat.of();
        // RFC 2202, section 3: cases 1, 2, 6 (a key longer than a block) and 7.
        assertThat(hex.formatHex(new HmacSha1(hex.parseHex("0b".repeat(20)))
                .sign("Hi There".getBytes(StandardCharsets.US_ASCII), 0, 8)))
                .isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
        byte[] what = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        assertThat(hex.formatHex(new HmacSha1("Jefe".getBytes(StandardCharsets.US_ASCII)).sign(what, 0, what.length)))
                .isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        byte[] longKey = hex.parseHex("aa".repeat(80));
        byte[] six = "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII);
        assertThat(hex.formatHex(new HmacSha1(longKey).sign(six, 0, six.length)))
                .isEqualTo("aa4ae5e15272d00e95705637ce8a3b55ed402112");
        byte[] seven = "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(hex.formatHex(new HmacSha1(longKey).sign(seven, 0, seven.length)))
                .isEqualTo("e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
    }

    @Test
    void manyThreadsSignAtOnceWithOneSigner() throws Exception {
        byte[] key = "a derived key of twenty".getBytes(StandardCharsets.US_ASCII);
        HmacSha1 signer = new HmacSha1(key);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            java.util.List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        byte[] message = ("message " + thread + " " + i).getBytes(StandardCharsets.US_ASCII);
                        if (!java.util.Arrays.equals(signer.sign(message, 0, message.length), jdk(key, message))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void itsDescriptionHoldsNoKey() {
        assertThat(new HmacSha1("secret-key-material".getBytes(StandardCharsets.US_ASCII)).toString())
                .doesNotContain("secret").contains("hidden");
    }
}
