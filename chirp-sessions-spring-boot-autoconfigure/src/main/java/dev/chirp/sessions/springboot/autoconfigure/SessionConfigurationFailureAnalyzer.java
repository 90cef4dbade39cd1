package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains any other chirp-sessions {@link ConfigurationException} at startup (say {@code same-site=none}
 * without {@code secure=true}): the core's message already names the rule, the value and the fix, so the
 * analysis shows it without a stack trace and points at the {@code chirp.sessions.*} properties.
 */
public class SessionConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {

    /** Creates the analyzer; Boot does this. */
    public SessionConfigurationFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        if (cause instanceof SessionSecretException) {
            return null; // SessionSecretFailureAnalyzer explains these
        }
        return new FailureAnalysis("chirp-sessions refused its configuration: " + cause.getMessage() + ".",
                "Change the chirp.sessions.* property (or the bean) that the message names; "
                        + "docs/spring-boot.md lists every property with its rules.", cause);
    }
}
