package dev.chirp.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ChirpSessionCommandTest {

    @Test
    void withoutACommandItPrintsUsageAndExitsTwo() {
        Terminal.Result result = new Terminal().run();

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Usage: chirp-session [-hV] COMMAND");
    }

    @Test
    void helpListsEveryCommandAndWhereTheSecretComesFrom() {
        Terminal.Result result = new Terminal().run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("encode", "decode", "inspect", "keygen", "CHIRP_SESSION_SECRET",
                "--secret-file FILE", "Exit codes: 0 success, 1 cookie rejected");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"encode", "decode", "inspect", "keygen"}) {
            Terminal.Result result = new Terminal().run(command, "--help");
            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.out()).as(command).startsWith("Usage: chirp-session " + command);
        }
    }

    @Test
    void secretOptionIsNotAdvertised() {
        assertThat(new Terminal().run("decode", "--help").out()).contains("--secret-file").doesNotContain("--secret=")
                .doesNotContainPattern("--secret[^-]");
    }

    @Test
    void anUnknownOptionExitsTwoWithAHint() {
        Terminal.Result result = new Terminal().run("encode", "--bogus");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("chirp-session: Unknown option: '--bogus'\n"
                + "Try 'chirp-session encode --help'.\n");
    }

    @Test
    void versionNamesTheCommand() {
        assertThat(new Terminal().run("--version").out()).startsWith("chirp-session ");
    }

    @Test
    void anUnexpectedFailureIsOneLineWithExitThreeAndNoStackTrace() {
        Terminal terminal = Terminal.withSecret();
        terminal.stdin = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("disk on fire");
            }
        };

        Terminal.Result result = terminal.run("encode");

        assertThat(result.exitCode()).isEqualTo(ChirpSessionCommand.EXIT_INTERNAL);
        assertThat(result.err()).isEqualTo("chirp-session: internal error: java.lang.IllegalStateException: disk on fire\n");
    }

    @Test
    void helpCommandShowsACommandsHelp() {
        for (String command : new String[] {"encode", "decode", "inspect", "keygen"}) {
            Terminal.Result result = new Terminal().run("help", command);

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo(new Terminal().run(command, "--help").out());
            assertThat(result.err()).isEmpty();
        }
    }
}
