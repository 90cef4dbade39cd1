package dev.chirp.sessions.testkit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded generators for property tests, written for this project (no property-testing library).
 * Feed a {@code @ParameterizedTest(name = "seed {0}")} from {@link #seeds(int)}: each case gets its
 * own seed, shown in the test name and in the failure, and replayed alone with
 * {@code -Dchirp.seed=SEED} (for example
 * {@code mvn -pl chirp-sessions-core verify -Dtest=TimedSerializerPropertyTest -Dchirp.seed=42}).
 */
public final class Gen {

    /** The system property that replays one seed instead of drawing new ones. */
    public static final String SEED_PROPERTY = "chirp.seed";

    private final long seed;
    private final SplittableRandom random;
    private boolean nonFinite = false;

    /** A generator that yields the same values for the same seed. */
    public Gen(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /**
     * {@code count} seeds: {@code count - 1} fixed ones (at least one), the same on every run, so that CI
     * always covers the cases it covered before, plus one fresh seed per call, so that runs still explore
     * new cases; the fresh seed is printed with the command that replays it. With {@value #SEED_PROPERTY}
     * set, only that seed.
     */
    public static Stream<Long> seeds(int count) {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed != null && !fixed.isBlank()) {
            return Stream.of(Long.parseLong(fixed.trim()));
        }
        long fresh = new SplittableRandom().nextLong();
        System.out.println("chirp-sessions property test: fresh seed " + fresh + " (the other seeds are fixed); "
                + "replay it with -D" + SEED_PROPERTY + "=" + fresh);
        SplittableRandom fixedSeeds = new SplittableRandom(FIXED_SEED_BASE);
        return Stream.concat(LongStream.generate(fixedSeeds::nextLong).limit(Math.max(1, count - 1)).boxed(),
                Stream.of(fresh));
    }

    /** Where the fixed seeds of {@link #seeds(int)} come from: changing it changes what CI always covers. */
    private static final long FIXED_SEED_BASE = 0x6368_6972_7053_4545L;

    /** Runs {@code check}; on failure rethrows with the seed and how to replay it in the message. */
    public void check(Runnable check) {
        try {
            check.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("property failed for seed " + seed + "; replay with -D" + SEED_PROPERTY
                    + "=" + seed + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes this generator draw only finite doubles, the default: no writer or reader accepts NaN or the
     * infinities. Kept so that callers say what they rely on.
     */
    public Gen finiteNumbers() {
        nonFinite = false;
        return this;
    }

    /** Makes this generator also draw NaN and the infinities, for tests of their refusal. */
    public Gen nonFiniteNumbers() {
        nonFinite = true;
        return this;
    }

    /** The seed this generator started from. */
    public long seed() {
        return seed;
    }

    /** A uniform int in {@code [min, max]}. */
    public int between(int min, int max) {
        return (int) random.nextLong(min, (long) max + 1);
    }

    /** A uniform long in {@code [min, max)}. */
    public long longBetween(long min, long maxExclusive) {
        return random.nextLong(min, maxExclusive);
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** One of {@code options}, uniformly. */
    @SafeVarargs
    public final <T> T oneOf(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** The value of one of {@code options}, uniformly. */
    @SafeVarargs
    public final <T> T anyOf(Supplier<? extends T>... options) {
        return options[random.nextInt(options.length)].get();
    }

    /**
     * Text of 0 to {@code maxLength} UTF-16 units, valid Unicode only (no unpaired surrogate), mixing
     * ASCII, control characters, JSON's special characters, Latin-1, the rest of the BMP and
     * characters beyond U+FFFF (emoji).
     */
    public String text(int maxLength) {
        int length = between(0, maxLength);
        StringBuilder s = new StringBuilder(length + 1);
        while (s.length() < length) {
            s.appendCodePoint(codePoint());
        }
        return s.toString();
    }

    /** One valid (non-surrogate) code point from a mix of ranges. */
    public int codePoint() {
        switch (random.nextInt(8)) {
            case 0:
                return between(0x20, 0x7e);
            case 1:
                return between(0, 0x1f);
            case 2:
                return oneOf((int) '"', (int) '\\', (int) '/', 0x7f, 0x2028, 0x2029, 0xfeff, 0xfffd);
            case 3:
                return between(0x80, 0xff);
            case 4:
                int bmp = between(0x100, 0xfffd);
                return bmp >= 0xd800 && bmp <= 0xdfff ? bmp - 0x800 : bmp;
            case 5:
                return between(0x10000, 0x10ffff);
            default:
                return between('a', 'z');
        }
    }

    /** Any character including lone surrogates, for tests of what is refused. */
    public char anyChar() {
        return chance(0.5) ? (char) between(0xd800, 0xdfff) : (char) between(0, 0xff);
    }

    /** A JSON scalar: text, integers of every size, doubles (including the special ones), booleans, null. */
    public Object scalar() {
        switch (random.nextInt(10)) {
            case 0:
                return text(40);
            case 1:
                return text(10);
            case 2:
                return between(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case 3:
                return longBetween((long) Integer.MAX_VALUE + 1, Long.MAX_VALUE);
            case 4:
                return longBetween(Long.MIN_VALUE, (long) Integer.MIN_VALUE);
            case 5:
                return new BigInteger(between(65, 200), new java.util.Random(random.nextLong())).setBit(64)
                        .multiply(chance(0.5) ? BigInteger.ONE : BigInteger.ONE.negate());
            case 6:
                double d;
                if (chance(0.2)) {
                    d = oneOf(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-5, -1.5e300, 0.1,
                            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
                } else {
                    // Half any bit pattern, half ordinary magnitudes.
                    d = chance(0.5) ? Double.longBitsToDouble(random.nextLong())
                            : (random.nextDouble() - 0.5) * Math.pow(10, between(-20, 20));
                }
                return nonFinite || Double.isFinite(d) ? d : 0.5;
            case 7:
                return chance(0.5);
            case 8:
                return null;
            default:
                return between(-1000, 1000);
        }
    }

    /** A JSON value nested at most {@code depth} levels: mostly scalars, some lists and objects. */
    public Object json(int depth) {
        int pick = random.nextInt(8);
        if (depth == 0 || pick < 6) {
            return scalar();
        }
        if (pick == 6) {
            List<Object> list = new ArrayList<>();
            for (int i = between(0, 4); i > 0; i--) {
                list.add(json(depth - 1));
            }
            return list;
        }
        return object(4, depth - 1);
    }

    /** A session: up to 6 keys (never the reserved {@code __} prefix) of JSON nested up to 3 levels. */
    public Map<String, Object> session() {
        return object(6, 3);
    }

    private Map<String, Object> object(int maxSize, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = between(0, maxSize); i > 0; i--) {
            String key = text(12);
            if (!key.startsWith("__")) {
                map.put(key, json(depth));
            }
        }
        return map;
    }
}
