package dev.chirp.sessions.it;

import dev.chirp.sessions.servlet.SessionFilter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Tomcat 11 embedded, with the filters registered the two other supported ways: from a
 * {@code ServletContainerInitializer} through {@link SessionFilter#register}, and by class name with an
 * init-param, as {@code web.xml} does.
 */
final class TomcatServer implements TestServer {

    /** Held so that java.util.logging keeps the level: Tomcat's start-up chatter stays out of test output. */
    private static final Logger CATALINA = Logger.getLogger("org.apache");

    private final Tomcat tomcat;
    private final ExecutorService async;
    private final Path baseDir;
    private final URI base;

    private TomcatServer(Apps apps) throws Exception {
        CATALINA.setLevel(Level.WARNING);
        async = Executors.newCachedThreadPool();
        baseDir = Files.createTempDirectory("chirp-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        // Leak detection needs --add-opens and otherwise prints two warnings per stop: nothing leaks here.
        ((StandardContext) context).setClearReferencesThreadLocals(false);
        ((StandardContext) context).setClearReferencesRmiTargets(false);
        context.addServletContainerInitializer((classes, servletContext) -> apps.byPrefix.forEach(
                (prefix, middleware) -> SessionFilter.register(servletContext, middleware, prefix + "/*")), null);

        FilterDef fromInitParam = new FilterDef();
        fromInitParam.setFilterName("initparam");
        fromInitParam.setFilterClass(SessionFilter.class.getName());
        fromInitParam.addInitParameter(SessionFilter.CONFIG_SUPPLIER_PARAM, InitParamConfig.class.getName());
        fromInitParam.setAsyncSupported("true");
        context.addFilterDef(fromInitParam);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("initparam");
        mapping.addURLPattern("/initparam/*");
        mapping.setDispatcher("REQUEST");
        mapping.setDispatcher("ASYNC");
        mapping.setDispatcher("ERROR");
        context.addFilterMap(mapping);

        Wrapper servlet = Tomcat.addServlet(context, "contract", new ContractServlet(async));
        servlet.setAsyncSupported(true);
        mapToEverything(context, "contract");
        ErrorPage teapot = new ErrorPage();
        teapot.setErrorCode(418);
        teapot.setLocation("/app/s/error-page");
        context.addErrorPage(teapot);
        ErrorPage firstRead = new ErrorPage();
        firstRead.setErrorCode(419);
        firstRead.setLocation("/app/s/error-page-first-read");
        context.addErrorPage(firstRead);
        ErrorPage inplace = new ErrorPage();
        inplace.setErrorCode(421);
        inplace.setLocation("/app/s/error-page-inplace");
        context.addErrorPage(inplace);
        ErrorPage thrown = new ErrorPage();
        thrown.setExceptionType(ContractServlet.ToErrorPage.class.getName());
        thrown.setLocation("/app/s/error-page");
        context.addErrorPage(thrown);
        addErrorPage(context, 422, "/app/s/error-page-flushing");
        addErrorPage(context, 423, "/app/s/error-page-big");
        addErrorPage(context, 424, "/app/s/error-page-fixed-length");

        tomcat.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    static TomcatServer start(Apps apps) throws Exception {
        return new TomcatServer(apps);
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public void close() throws Exception {
        // The async handlers' threads first: alive when the context stops, Tomcat reports each as a leak.
        async.shutdownNow();
        async.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        tomcat.stop();
        tomcat.destroy();
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // A leftover temporary file is harmless.
                }
            });
        }
    }

    private static void addErrorPage(Context context, int status, String location) {
        ErrorPage page = new ErrorPage();
        page.setErrorCode(status);
        page.setLocation(location);
        context.addErrorPage(page);
    }

    /**
     * Tomcat 11's {@code addServletMapping} does not exist in Tomcat 10.1 (Servlet 6.0), where this harness
     * also runs (scripts/check-dependency-ranges.sh); the older name exists in both, deprecated in 11.
     */
    @SuppressWarnings("deprecation")
    private static void mapToEverything(Context context, String servletName) {
        context.addServletMappingDecoded("/*", servletName);
    }
}
