package dev.chirp.sessions.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The complete example of docs/webflux.md, compiled as a user pastes it and served on Reactor Netty (port
 * 0 instead of its main's 8080): the cart counts in the chirp cookie.
 */
class WebFluxDocExampleTest {

    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- compiled by WebFluxDocExampleTest -->\\n```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theCompleteExampleCompilesAndKeepsTheCartInTheChirpCookie(@TempDir Path dir) throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "webflux.md"), StandardCharsets.UTF_8);
        Matcher example = EXAMPLE.matcher(doc);
        assertThat(example.find()).as("docs/webflux.md has the compiled example").isTrue();
        Path source = dir.resolve("src/com/example/shop/ShopApplication.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, example.group(1));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(source, classes);

        System.setProperty("CHIRP_SESSION_SECRET", WebFluxSessionsTest.SECRET);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
             AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.setClassLoader(loader);
            context.register(loader.loadClass("com.example.shop.ShopApplication"));
            context.refresh();
            DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                    .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
                    .bindNow(Duration.ofSeconds(10));
            try {
                Client client = new Client("http://127.0.0.1:" + server.port(), "chirp_session");
                assertThat(client.get("/cart").body()).isEqualTo("items=0");
                assertThat(client.get("/cart/add").body()).isEqualTo("items=1");
                assertThat(client.get("/cart/add").body()).isEqualTo("items=2");
                assertThat(client.cookie).isNotNull();
                assertThat(client.get("/cart").body()).isEqualTo("items=2");
                assertThat(client.postForm("/cart", "a=b").statusCode()).as("the CSRF filter").isEqualTo(403);
            } finally {
                server.disposeNow(Duration.ofSeconds(10));
                System.clearProperty("CHIRP_SESSION_SECRET");
            }
        }
    }

    private static void compile(Path source, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                            "-proc:none", "-parameters", "-Xlint:all", "-Werror"),
                    null, files.getJavaFileObjects(source)).call();
            assertThat(ok).as("docs/webflux.md example compiles: %s", diagnostics.getDiagnostics()).isTrue();
        }
    }
}
