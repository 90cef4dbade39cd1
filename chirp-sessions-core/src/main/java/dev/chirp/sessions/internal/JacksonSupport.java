package dev.chirp.sessions.internal;

import com.fasterxml.jackson.core.json.PackageVersion;
import dev.chirp.sessions.ConfigurationException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks that the jackson-core on the class path has what the JSON code needs, before anything touches
 * it. Applications pick their own jackson-core (Spring Boot's BOM sets it, for one), so an older one than
 * this library is built with is common; without the check it would surface as a {@code NoSuchMethodError}
 * or {@code NoClassDefFoundError} on the first request instead of a clear message at startup. Every public
 * entry point that reaches {@link Json} calls {@link #require()} first (it is a field read once checked).
 */
public final class JacksonSupport {

    /** The oldest jackson-core with everything the JSON code uses ({@code maxNameLength}, 2.16). */
    public static final String MINIMUM = "2.16";

    private static final String VERSION = PackageVersion.VERSION.toString();
    private static final boolean SUPPORTED = probe();
    private static final boolean REFUSES_ESCAPED_PAIRS_IN_NAMES = isRefusingEscapedPairsInNames(VERSION);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private JacksonSupport() {
    }

    /**
     * Checks the jackson-core on the class path. Called on every JSON entry point, so after the first call
     * it only reads two constants and a flag.
     *
     * @throws ConfigurationException if it is older than {@value #MINIMUM}
     */
    public static void require() {
        require(SUPPORTED, VERSION);
        if (REFUSES_ESCAPED_PAIRS_IN_NAMES && WARNED.compareAndSet(false, true)) {
            System.getLogger("dev.chirp.sessions").log(Level.WARNING, "chirp-sessions: jackson-core " + VERSION
                    + " refuses a key that spells a character beyond U+FFFF (an emoji) as \\u escapes "
                    + "(jackson-core #1541), so a cookie written that way reads as an empty session; chirp, "
                    + "itsdangerous and this library write such keys as raw UTF-8 and are not affected. "
                    + "Upgrade jackson-core to 2.21.2 or newer");
        }
    }

    static void require(boolean supported, String version) {
        if (!supported) {
            throw new ConfigurationException("jackson-core must be " + MINIMUM + " or newer: " + version
                    + " is on the class path; depend on com.fasterxml.jackson.core:jackson-core " + MINIMUM
                    + " or newer (Spring Boot 3.2 and older manage an older one: set the property "
                    + "jackson-bom.version to " + MINIMUM + ".0 or newer)");
        }
    }

    /** jackson-core 2.21.0 and 2.21.1 refuse escaped surrogate pairs in field names (fixed in 2.21.2). */
    static boolean isRefusingEscapedPairsInNames(String version) {
        return version.matches("2\\.21\\.[01](-.*)?");
    }

    private static boolean probe() {
        try {
            // By name: the class itself is missing before 2.15.
            Class.forName("com.fasterxml.jackson.core.StreamReadConstraints$Builder", false,
                    JacksonSupport.class.getClassLoader()).getMethod("maxNameLength", int.class);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
