package dev.chirp.sessions.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.PackageVersion;
import dev.chirp.sessions.ConfigurationException;

/**
 * Checks, before anything uses it, that the jackson-core on the class path has what the JSON code needs.
 * Applications pick their own jackson-core (Spring Boot's BOM sets it, for one), so an older one than this
 * library is built with is common; without the check it would surface as a {@code NoSuchMethodError} on
 * the first request instead of a clear message at startup.
 */
public final class JacksonSupport {

    /** The oldest jackson-core with everything the JSON code uses ({@code maxNameLength}, 2.16). */
    public static final String MINIMUM = "2.16";

    private JacksonSupport() {
    }

    /**
     * Checks the jackson-core on the class path.
     *
     * @throws ConfigurationException if it is older than {@value #MINIMUM}
     */
    public static void require() {
        boolean supported;
        try {
            StreamReadConstraints.Builder.class.getMethod("maxNameLength", int.class);
            supported = true;
        } catch (NoSuchMethodException e) {
            supported = false;
        }
        require(supported, PackageVersion.VERSION.toString());
    }

    static void require(boolean supported, String version) {
        if (!supported) {
            throw new ConfigurationException("jackson-core must be " + MINIMUM + " or newer: " + version
                    + " is on the class path; depend on com.fasterxml.jackson.core:jackson-core " + MINIMUM
                    + " or newer (Spring Boot 3.2 and older manage an older one: set the property "
                    + "jackson-bom.version to " + MINIMUM + ".0 or newer)");
        }
    }
}
