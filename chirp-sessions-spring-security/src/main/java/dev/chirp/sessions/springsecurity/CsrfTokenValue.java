package dev.chirp.sessions.springsecurity;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Fresh CSRF token values in chirp's form, 32 random bytes as 64 hex characters, for the servlet and the
 * reactive repositories. A class of its own so that neither loads the other's API (servlet or Reactor).
 */
final class CsrfTokenValue {

    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CsrfTokenValue() {
    }

    static String next() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
