package dev.chirp.sessions.starterapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.JavaExamples;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Compiles the Spring Boot examples of docs/servers.md (those marked
 * {@code compiled in: chirp-sessions-spring-boot-autoconfigure}) on this module's Spring Boot, each with
 * only the imports it shows; the Boot 3.5 and Jetty modules run it on theirs.
 */
class DocExamplesCompileTest {

    @Test
    void theServerGuidesSpringBootApplicationCompiles() throws IOException {
        JavaExamples.Result result = JavaExamples.compile(JavaExamples.inRepository("docs/servers.md"),
                "chirp-sessions-spring-boot-autoconfigure");

        assertThat(result.compiled()).isEqualTo(1);
    }
}
