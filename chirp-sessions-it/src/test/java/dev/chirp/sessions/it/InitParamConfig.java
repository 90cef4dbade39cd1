package dev.chirp.sessions.it;

import dev.chirp.sessions.SessionConfig;
import java.util.function.Supplier;

/** The configuration of {@code /initparam}, named by the filter's init-param as in a {@code web.xml}. */
public final class InitParamConfig implements Supplier<SessionConfig> {

    @Override
    public SessionConfig get() {
        return SessionConfig.builder(Apps.SECRET).build();
    }
}
