package dev.chirp.sessions.it;

import java.net.URI;

/** A real server under test, listening on 127.0.0.1 at a port the system chose. */
interface TestServer extends AutoCloseable {

    /** The base address, such as {@code http://127.0.0.1:41234/}. */
    URI base();

    @Override
    void close() throws Exception;
}
