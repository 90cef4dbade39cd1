package dev.chirp.sessions.cli;

import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.signing.UnverifiedValue;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chirp-session inspect}: shows what a cookie value claims, without verifying it and without a secret. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a cookie value claims, UNVERIFIED (no secret needed).",
            "Prints the payload, signing time, compression and size without checking the",
            "signature, so anyone could have forged it. Exits 1, with one line on standard",
            "error, if the payload or the signing time is unreadable."})
final class InspectCommand implements Callable<Integer> {

    static final String BANNER = "UNVERIFIED: the signature was not checked; anyone can forge this content.";

    private final CommandEnvironment environment;

    @Parameters(paramLabel = "COOKIE",
            description = {"The cookie value; 'chirp_session=VALUE' or a pasted Set-Cookie value also work.",
                "'-' reads it from standard input."})
    private String cookie;

    @Spec
    private CommandSpec spec;

    InspectCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        String token = CookieArgument.value(cookie, environment);
        UnverifiedValue unverified = TimedSerializer.loadsUnsafe(token);
        boolean payloadReadable = unverified.problem() == null || unverified.value() != null;
        // A signing time past what java.time holds is unreadable too, and reported the same way.
        boolean readable = payloadReadable && unverified.signedAt() != null;

        PrintWriter out = spec.commandLine().getOut();
        out.println(BANNER);
        out.println("payload:     " + (payloadReadable ? SessionJson.write(unverified.value()) : "(unreadable)"));
        out.println("signed at:   " + signedAt(unverified));
        out.println("compressed:  " + compression(token, unverified));
        out.println("size:        cookie value " + token.length() + " bytes, JSON payload "
                + unverified.payloadBytes() + " bytes");
        if (unverified.problem() != null) {
            out.println("problem:     " + unverified.problem());
        }
        if (!readable) {
            spec.commandLine().getErr().println(ChirpSessionCommand.PREFIX + "cannot read the cookie: "
                    + (unverified.problem() != null ? unverified.problem() : "timestamp is not readable"));
        }
        return readable ? ChirpSessionCommand.EXIT_OK : ChirpSessionCommand.EXIT_REJECTED;
    }

    private String signedAt(UnverifiedValue unverified) {
        if (unverified.signedAt() == null) {
            return "(unreadable)";
        }
        long age = Duration.between(unverified.signedAt(), environment.clock().instant()).getSeconds();
        return unverified.signedAt() + " (" + unverified.signedAt().getEpochSecond() + ", "
                + DecodeCommand.describeAge(age) + ")";
    }

    private static String compression(String token, UnverifiedValue unverified) {
        if (!unverified.compressed()) {
            return "no";
        }
        int tsDot = token.lastIndexOf('.', token.lastIndexOf('.') - 1);
        int base64Chars = Math.max(0, tsDot - 1);
        return "yes (zlib; " + unverified.payloadBytes() + " bytes of JSON in " + base64Chars * 3 / 4 + " bytes)";
    }
}
