package dev.chirp.sessions.webflux;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Loaded by BlockHound (through {@code META-INF/services}) when blockhound-junit-platform installs it
 * before the first test: every blocking call on a non-blocking thread (a Netty event loop, Reactor's
 * parallel scheduler) is recorded here as well as thrown, because a thrown error on an event loop may end
 * as a plain 500 that a test could mistake for another failure.
 */
public final class RecordingBlockHound implements BlockHoundIntegration {

    static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // SecureRandom (chirp's CSRF token, the sealed format's nonce, Spring Security's token) reads
        // /dev/urandom through a FileInputStream. On Linux that read never waits for entropy; BlockHound
        // only sees a file read. Allowed here, and only this reader.
        builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "readFully");
        builder.blockingMethodCallback(method -> {
            VIOLATIONS.add(method + " on " + Thread.currentThread().getName());
            throw new BlockingOperationError(method);
        });
    }
}
