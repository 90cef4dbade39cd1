package dev.chirp.sessions.it;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.chirp.sessions.httpserver.SessionHttpFilter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** The JDK's {@code com.sun.net.httpserver}, over HTTP or HTTPS, with a thread pool as the docs advise. */
final class JdkServer implements TestServer {

    private final HttpServer server;
    private final ExecutorService pool;
    private final ExecutorService async;
    private final URI base;

    private JdkServer(Apps apps, SSLContext tls) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        pool = Executors.newCachedThreadPool();
        async = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        ContractHandler handler = new ContractHandler(async);
        apps.byPrefix.forEach((prefix, middleware) -> {
            HttpContext context = server.createContext(prefix + "/", handler);
            context.getFilters().add(new SessionHttpFilter(middleware));
        });
        server.createContext("/plain/", handler);
        server.start();
        base = URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    static JdkServer start(Apps apps) throws Exception {
        return new JdkServer(apps, null);
    }

    static JdkServer startHttps(Apps apps, SSLContext tls) throws Exception {
        return new JdkServer(apps, tls);
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        async.shutdownNow();
    }
}
