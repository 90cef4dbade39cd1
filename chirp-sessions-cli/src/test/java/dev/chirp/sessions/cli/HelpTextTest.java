package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.HelpText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command's {@code --help} fits 80 columns and breaks lines only where they are full or a sentence ends. */
class HelpTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "encode", "decode", "inspect", "keygen"})
    void helpWrapsAtWordsNotMidSentence(String command) {
        Terminal.Result result = command.isEmpty() ? new Terminal().run("--help") : new Terminal().run(command, "--help");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Usage: chirp-session");
        HelpText.assertWrapsOnlyWhereFull(result.out(), 80);
    }
}
