package dev.chirp.sessions.signing;

import java.time.Duration;
import java.util.List;

/** The argument rules the serializers' builders share, so both formats refuse the same input the same way. */
final class BuilderRules {

    private BuilderRules() {
    }

    /** Returns {@code secret}, or throws if it is null or empty. */
    static String requireSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secretKey must not be empty: \"\"; pass the shared secret");
        }
        return secret;
    }

    /** Returns {@code secrets}, or throws if any of them is null or empty. */
    static List<String> requireFallbackSecrets(List<String> secrets) {
        for (String s : secrets) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("fallbackSecrets must not contain an empty secret; "
                        + "remove the empty entry");
            }
        }
        return secrets;
    }

    /** Returns {@code clockSkew}, or throws if it is negative. */
    static Duration requireClockSkew(Duration clockSkew) {
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative: " + clockSkew + "; use Duration.ZERO");
        }
        return clockSkew;
    }
}
