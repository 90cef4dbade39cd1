package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link SessionFilter} built from a {@code web.xml}-style init-param: a broken configuration fails
 * when the container initializes the filter, with a message that names the rule, the value and the fix.
 * (Serving requests is covered by the contract tests on each container.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionFilterTest {

    private Server server;
    private ServletContext servletContext;

    @BeforeAll
    void startContext() throws Exception {
        server = new Server();
        ServletContextHandler context = new ServletContextHandler("/");
        server.setHandler(context);
        server.start();
        servletContext = context.getServletContext();
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
    }

    private FilterConfig config(Map<String, String> params) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "chirp-sessions";
            }

            @Override
            public ServletContext getServletContext() {
                return servletContext;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }

    @Test
    void initWithoutTheInitParamNamesTheParamAndTheFix() {
        assertThatThrownBy(() -> new SessionFilter().init(config(Map.of())))
                .isInstanceOf(ServletException.class)
                .hasMessage("init-param configSupplier must name a class that implements Supplier<SessionConfig>: "
                        + "missing for filter 'chirp-sessions'; add it to the filter's <init-param>, or register "
                        + "new SessionFilter(middleware) from code");
    }

    @Test
    void initWithAnUnknownClassNamesTheClass() {
        assertThatThrownBy(() -> new SessionFilter().init(config(Map.of("configSupplier", "com.example.Nope"))))
                .isInstanceOf(ServletException.class)
                .hasMessageStartingWith("init-param configSupplier must name a public class with a public "
                        + "no-argument constructor: com.example.Nope");
    }

    @Test
    void initWithAClassThatIsNotASupplierSaysWhatToImplement() {
        assertThatThrownBy(() -> new SessionFilter().init(config(Map.of("configSupplier", "java.lang.Object"))))
                .isInstanceOf(ServletException.class)
                .hasMessage("init-param configSupplier must name a class that implements Supplier<SessionConfig>: "
                        + "java.lang.Object does not; implement java.util.function.Supplier<SessionConfig>");
    }

    @Test
    void initWithASupplierBuildsTheMiddleware() throws Exception {
        SessionFilter filter = new SessionFilter();
        filter.init(config(Map.of("configSupplier", InitParamConfig.class.getName())));
        assertThat(filter).hasToString("SessionFilter[chirp_session]");
    }
}
