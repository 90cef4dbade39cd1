package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.ConfigurationException;
import org.junit.jupiter.api.Test;

class JacksonSupportTest {

    @Test
    void theJacksonCoreOfThisBuildIsSupported() {
        assertThatCode(JacksonSupport::require).doesNotThrowAnyException();
    }

    @Test
    void onlyTheTwoReleasesThatRefuseEscapedPairsInKeysAreWarnedAbout() {
        assertThat(JacksonSupport.isRefusingEscapedPairsInNames("2.21.0")).isTrue();
        assertThat(JacksonSupport.isRefusingEscapedPairsInNames("2.21.1")).isTrue();
        assertThat(JacksonSupport.isRefusingEscapedPairsInNames("2.21.1-SNAPSHOT")).isTrue();
        assertThat(JacksonSupport.isRefusingEscapedPairsInNames("2.21.2")).isFalse();
        assertThat(JacksonSupport.isRefusingEscapedPairsInNames("2.21.10")).isFalse();
        assertThat(JacksonSupport.isRefusingEscapedPairsInNames("2.20.1")).isFalse();
    }

    @Test
    void anOlderJacksonCoreFailsAtStartupWithTheRuleTheVersionAndTheFix() {
        // What require() says when the probe fails; scripts/check-dependency-ranges.sh runs it on 2.15.
        assertThatThrownBy(() -> JacksonSupport.require(false, "2.15.4"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("jackson-core must be 2.16 or newer: 2.15.4 is on the class path; depend on "
                        + "com.fasterxml.jackson.core:jackson-core 2.16 or newer (Spring Boot 3.2 and older manage "
                        + "an older one: set the property jackson-bom.version to 2.16.0 or newer)");
    }
}
