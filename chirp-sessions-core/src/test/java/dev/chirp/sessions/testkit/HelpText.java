package dev.chirp.sessions.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Checks a command's {@code --help} text for lines broken where they did not have to be: a line that
 * stops short although the next line's first word would still have fitted is a sentence cut in two (the
 * symptom of descriptions written as pre-broken lines that the help renderer then wraps again).
 */
public final class HelpText {

    private HelpText() {
    }

    /** Asserts that no line of {@code help} is wider than {@code width} and that every early break ends a sentence. */
    public static void assertWrapsOnlyWhereFull(String help, int width) {
        List<String> lines = help.lines().toList();
        // The synopsis ("Usage: ..." and its indented continuation lines) ends where the description starts.
        int description = 1;
        while (description < lines.size() && lines.get(description).startsWith(" ")) {
            description++;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertThat(line.length()).as("width of line: %s", line).isLessThanOrEqualTo(width);
            if (i + 1 == lines.size() || i + 1 == description || line.isBlank() || startsEntry(lines.get(i + 1))
                    || line.matches("^ *-\\S*$")) { // an option too long to share a line with its description
                continue;
            }
            String nextWord = lines.get(i + 1).strip().split(" ", 2)[0];
            // Picocli keeps the last column free, so a full line is one shorter than the width.
            boolean roomForNextWord = line.length() + 1 + nextWord.length() < width;
            assertThat(!roomForNextWord || line.matches(".*[.:)]$"))
                    .as("line broken mid-sentence although \"%s\" fits after it:%n%s%n%s", nextWord, line,
                            lines.get(i + 1))
                    .isTrue();
        }
    }

    /** A blank line, an option, a section heading or a subcommand: a new entry, not a continuation. */
    private static boolean startsEntry(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() || stripped.startsWith("-") || line.matches("^[A-Z][A-Za-z ]*:.*")
                || line.matches("^  [a-z]+ {2,}\\S.*");
    }
}
