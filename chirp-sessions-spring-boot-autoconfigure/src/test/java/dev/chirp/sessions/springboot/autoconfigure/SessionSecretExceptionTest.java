package dev.chirp.sessions.springboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.springboot.autoconfigure.SessionSecretException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which secrets the starter refuses, and that the refusal never shows the secret. */
class SessionSecretExceptionTest {

    private static final String SECRET = "q3J6m0vV1o8d0g0Z1mN9bX2uT5yR8wE4kL7pQ0sA3cF=";

    @Test
    void randomSecretIsAccepted() {
        assertThat(SessionSecretException.requireUsable(SECRET)).isEqualTo(SECRET);
    }

    @Test
    void missingSecretNamesThePropertyTheVariableAndHowToGenerateOne() {
        assertThatThrownBy(() -> SessionSecretException.requireUsable(null))
                .isInstanceOfSatisfying(SessionSecretException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MISSING))
                .hasMessage("chirp.sessions.secret must be set: missing; set chirp.sessions.secret (or the "
                        + "environment variable CHIRP_SESSION_SECRET) to at least 32 random bytes, for example the "
                        + "output of 'openssl rand -base64 32' or 'chirp-session keygen'");
        assertThatThrownBy(() -> SessionSecretException.requireUsable("   "))
                .hasMessageStartingWith("chirp.sessions.secret must be set: blank;");
    }

    @Test
    void shortSecretIsRefusedWithItsLengthButNotItsValue() {
        assertThatThrownBy(() -> SessionSecretException.requireUsable("Kx9!pQ2z#Lm4"))
                .isInstanceOfSatisfying(SessionSecretException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TOO_SHORT))
                .hasMessageStartingWith("chirp.sessions.secret must be at least 32 bytes: 12 bytes (value hidden);")
                .hasMessageNotContaining("Kx9!pQ2z#Lm4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"${CHIRP_SESSION_SECRET}", "${CHIRP_SESSION_SECRET_FROM_A_TEMPLATE_NOBODY_FILLED}"})
    void unresolvedPlaceholderIsReportedAsUnsetWhateverItsLength(String placeholder) {
        assertThatThrownBy(() -> SessionSecretException.requireUsable(placeholder))
                .isInstanceOfSatisfying(SessionSecretException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.MISSING);
                    assertThat(e.unresolvedPlaceholder()).contains(placeholder);
                })
                .hasMessageStartingWith("chirp.sessions.secret must be set: the placeholder " + placeholder
                        + " was not resolved; set chirp.sessions.secret");
    }

    @Test
    void placeholderTextThatIsNoPropertyNameIsNotShown() {
        String secret = "Kx9!pQ2z#Lm4-${part of a real secret}-Zr8&Wq1";
        assertThatThrownBy(() -> SessionSecretException.requireUsable(secret))
                .isInstanceOfSatisfying(SessionSecretException.class,
                        e -> assertThat(e.unresolvedPlaceholder()).contains("${...}"))
                .hasMessageStartingWith("chirp.sessions.secret must be set: the placeholder ${...} was not resolved;")
                .hasMessageNotContaining("part of").hasMessageNotContaining("Kx9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"please-change-me-before-going-to-production", "your-secret-goes-here-0123456789abcdef",
        "abababababababababababababababababababab"})
    void placeholderSecretIsRefused(String placeholder) {
        assertThatThrownBy(() -> SessionSecretException.requireUsable(placeholder))
                .isInstanceOfSatisfying(SessionSecretException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.PLACEHOLDER))
                .hasMessageStartingWith("chirp.sessions.secret must be a random secret, not a placeholder: ")
                .hasMessageNotContaining(placeholder);
    }
}
