package dev.chirp.sessions;

/**
 * Thrown when a {@link SessionConfig} breaks a rule, at startup, never during a request. The message
 * names the setting, the rule, the value it got and the fix; it never contains a secret.
 */
public class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message of the form {@code <name> must <rule>: <value>; <fix>}. */
    public ConfigurationException(String message) {
        super(message);
    }
}
