package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Compiles every Java example in the README against the real modules, so the README cannot drift from
 * the API. An example is compiled as the body of a method whose parameters are listed in the
 * {@code <!-- compiled with: ... -->} comment above it; one marked {@code <!-- not compiled: why -->} is
 * skipped on purpose.
 */
class ReadmeExamplesTest {

    private static final Pattern BLOCK = Pattern.compile("(?:<!-- (compiled with|not compiled): ?(.*?) -->\\n)?```java\\n(.*?)```",
            Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n",
            "import dev.chirp.sessions.*;",
            "import dev.chirp.sessions.servlet.SessionFilter;",
            "import dev.chirp.sessions.servlet.CsrfFilter;",
            "import dev.chirp.sessions.httpserver.CsrfHttpFilter;",
            "import dev.chirp.sessions.httpserver.SessionHttpFilter;",
            "import dev.chirp.sessions.redis.RedisSessionStore;",
            "import dev.chirp.sessions.springsecurity.SessionSecurityCustomizer;",
            "import com.sun.net.httpserver.HttpHandler;",
            "import com.sun.net.httpserver.HttpServer;",
            "import jakarta.servlet.DispatcherType;",
            "import java.time.Duration;",
            "import java.util.EnumSet;",
            "import java.util.Optional;",
            "import java.util.concurrent.Executors;",
            "import org.apache.catalina.startup.Tomcat;",
            "import org.eclipse.jetty.ee10.servlet.FilterHolder;",
            "import org.eclipse.jetty.ee10.servlet.ServletContextHandler;",
            "import org.springframework.security.config.Customizer;",
            "import org.springframework.security.config.annotation.web.builders.HttpSecurity;",
            "");

    @Test
    void everyJavaExampleInTheReadmeCompiles() throws IOException {
        String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(readme);
        List<JavaFileObject> sources = new ArrayList<>();
        int skipped = 0;
        while (m.find()) {
            if ("not compiled".equals(m.group(1))) {
                assertThat(m.group(2)).as("a skipped example says why").isNotBlank();
                skipped++;
                continue;
            }
            String parameters = m.group(1) == null ? "" : m.group(2);
            String name = "ReadmeExample" + sources.size();
            String source = IMPORTS + "class " + name + " {\n    @SuppressWarnings(\"unused\")\n    void example("
                    + parameters + ") throws Exception {\n" + m.group(3) + "    }\n}\n";
            sources.add(new Source(name, source));
        }
        assertThat(sources).as("README examples found").hasSizeGreaterThanOrEqualTo(3);
        assertThat(skipped).isLessThanOrEqualTo(1);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createDirectories(Paths.get("target", "readme-examples"));
        boolean ok = compiler.getTask(null, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"),
                null, sources).call();
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.append(d.getSource() == null ? "" : ((Source) d.getSource()).name).append(" line ")
                        .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
            }
        }
        assertThat(errors.toString()).as("compile errors in README examples").isEmpty();
        assertThat(ok).isTrue();
    }

    private static Path readme() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above " + Paths.get("").toAbsolutePath()).isNotNull();
        return dir.resolve("README.md");
    }

    private static final class Source extends SimpleJavaFileObject {
        final String name;
        private final String code;

        Source(String name, String code) {
            super(URI.create("string:///" + name + ".java"), Kind.SOURCE);
            this.name = name;
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
