package dev.chirp.sessions.testkit;

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

/**
 * Compiles the Java examples of a Markdown document against the test's class path, so the docs cannot drift
 * from the API. A block's leading {@code import} lines are its own imports (a reader copies them too; no
 * import is added). A block that declares a top-level class is compiled as that whole file; any other block
 * is the body of a method whose parameters the comment {@code <!-- compiled with: String userId -->} above
 * it lists. A block marked {@code <!-- compiled in: MODULE -->} is compiled by that module's test (it has
 * the class path, Spring Boot say), and one marked {@code <!-- not compiled: why -->} by none.
 */
public final class JavaExamples {

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- (compiled with|compiled in|not compiled): ?(.*?) -->\\n)?```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)");

    /** What {@link #compile} found and compiled. */
    public record Result(int compiled, int skipped) {
    }

    private JavaExamples() {
    }

    /** The file {@code relative} in the repository root (the first directory above the working one that has it). */
    public static Path inRepository(String relative) {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(relative))) {
            dir = dir.getParent();
        }
        assertThat(dir).as(relative + " above " + Paths.get("").toAbsolutePath()).isNotNull();
        return dir.resolve(relative);
    }

    /**
     * Compiles the blocks of {@code document} meant for {@code module} (those marked
     * {@code compiled in: module}, or, when {@code module} is null, every block with no such mark) and fails
     * with every compile error, by example, if one does not compile.
     */
    public static Result compile(Path document, String module) throws IOException {
        String text = Files.readString(document, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(text);
        List<JavaFileObject> sources = new ArrayList<>();
        int skipped = 0;
        while (m.find()) {
            String mark = m.group(1);
            if ("not compiled".equals(mark)) {
                assertThat(m.group(2)).as("a skipped example says why").isNotBlank();
                skipped++;
                continue;
            }
            boolean forThisModule = "compiled in".equals(mark) ? m.group(2).strip().equals(module) : module == null;
            if (!forThisModule) {
                skipped++;
                continue;
            }
            sources.add(source(document, sources.size(), m.group(3),
                    "compiled with".equals(mark) ? m.group(2) : ""));
        }
        compileAll(document, sources);
        return new Result(sources.size(), skipped);
    }

    private static Source source(Path document, int index, String block, String parameters) {
        Matcher declared = CLASS.matcher(block);
        if (declared.find()) {
            return new Source(declared.group(1), block);
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        boolean head = true;
        for (String line : block.split("\n", -1)) {
            if (head && (line.startsWith("import ") || line.isBlank())) {
                imports.append(line).append('\n');
            } else {
                head = false;
                body.append(line).append('\n');
            }
        }
        String name = document.getFileName().toString().replaceAll("\\W", "_") + "Example" + index;
        return new Source(name, imports + "class " + name + " {\n    @SuppressWarnings(\"unused\")\n    void example("
                + parameters + ") throws Exception {\n" + body + "    }\n}\n");
    }

    private static void compileAll(Path document, List<JavaFileObject> sources) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createDirectories(Paths.get("target", "doc-examples"));
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
        assertThat(errors.toString()).as("compile errors in the Java examples of " + document).isEmpty();
        assertThat(ok).isTrue();
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
