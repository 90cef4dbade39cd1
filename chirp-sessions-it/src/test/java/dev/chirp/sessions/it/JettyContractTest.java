package dev.chirp.sessions.it;

/** The session contract on Jetty 12.1 (ee10). */
class JettyContractTest extends ServletContract {

    @Override
    protected TestServer start(Apps apps) throws Exception {
        return JettyServer.start(apps);
    }
}
