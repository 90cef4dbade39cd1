package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.JavaExamples;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Compiles every Java example in the README and in docs/servers.md against the real modules, each with only
 * the imports it shows, so the docs cannot drift from the API and a reader can copy an example whole (see
 * {@link JavaExamples} for the marks). The Spring Boot examples are compiled by
 * chirp-sessions-spring-boot-autoconfigure's {@code DocExamplesCompileTest}, which has Spring Boot.
 */
class ReadmeExamplesTest {

    @Test
    void everyJavaExampleInTheReadmeCompiles() throws IOException {
        JavaExamples.Result result = JavaExamples.compile(JavaExamples.inRepository("README.md"), null);

        assertThat(result.compiled()).as("README examples compiled").isGreaterThanOrEqualTo(3);
        assertThat(result.skipped()).as("README examples not compiled here").isLessThanOrEqualTo(2);
    }

    @Test
    void everyServerGuideExampleCompiles() throws IOException {
        JavaExamples.Result result = JavaExamples.compile(JavaExamples.inRepository("docs/servers.md"), "chirp-sessions-it");

        assertThat(result.compiled()).as("one complete example per server").isGreaterThanOrEqualTo(3);
    }
}
