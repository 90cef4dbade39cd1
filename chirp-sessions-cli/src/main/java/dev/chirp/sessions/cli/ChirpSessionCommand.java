package dev.chirp.sessions.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code chirp-session} command: encodes, decodes and inspects chirp session cookie values (the
 * itsdangerous {@code URLSafeTimedSerializer} format) and generates secrets.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_REJECTED} cookie rejected or unreadable,
 * {@value #EXIT_USAGE} usage error (bad option, no secret, bad JSON), {@value #EXIT_INTERNAL} internal error.
 * Every error is one line on standard error; no stack traces.
 */
@Command(name = "chirp-session", mixinStandardHelpOptions = true, versionProvider = ChirpSessionCommand.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Encode, decode and inspect chirp session cookies (Python itsdangerous "
                + "URLSafeTimedSerializer format), and generate secrets.",
        footer = {"",
            "The secret comes from the environment variable " + SecretSource.ENV + " or --secret-file FILE, "
                + "never from an argument (arguments show in the process list).",
            "",
            "Exit codes: 0 success, 1 cookie rejected or unreadable, 2 usage error, 3 internal error."})
public final class ChirpSessionCommand implements Callable<Integer> {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** The cookie was rejected (bad signature, expired, malformed, …) or could not be read. */
    public static final int EXIT_REJECTED = 1;
    /** The command was used wrongly: a bad option, no secret, bad JSON on standard input. */
    public static final int EXIT_USAGE = 2;
    /** A bug: something failed that should not. */
    public static final int EXIT_INTERNAL = 3;

    static final String PREFIX = "chirp-session: ";

    @Spec
    private CommandSpec spec;

    private ChirpSessionCommand() {
    }

    /** Runs the command with the process' environment and exits with its exit code. */
    public static void main(String[] args) {
        // UTF-8 whatever the platform default: sessions hold non-ASCII text and Python reads UTF-8.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = run(CommandEnvironment.system(), out, err, args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** Runs the command in this process, writing to {@code out} and {@code err}, and returns its exit code. */
    static int run(CommandEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new ChirpSessionCommand())
                .addSubcommand(new EncodeCommand(environment))
                .addSubcommand(new DecodeCommand(environment))
                .addSubcommand(new InspectCommand(environment))
                .addSubcommand(new KeygenCommand(environment))
                // 'chirp-session help decode' as well as 'chirp-session decode --help'.
                .addSubcommand(new CommandLine.HelpCommand());
        // Set after the subcommands are added: picocli copies these settings down the hierarchy.
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof CommandFailure) {
                cmd.getErr().println(PREFIX + e.getMessage());
                return ((CommandFailure) e).exitCode();
            }
            cmd.getErr().println(PREFIX + "internal error: " + e);
            return EXIT_INTERNAL;
        });
        commandLine.setParameterExceptionHandler((e, args2) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(PREFIX + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_USAGE;
        });
        int exitCode = commandLine.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ChirpSessionCommand.class.getPackage().getImplementationVersion();
            return new String[] {"chirp-session " + (version == null ? "(development build)" : version)};
        }
    }
}
