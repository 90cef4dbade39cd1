package dev.chirp.sessions.cli;

import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.signing.SealedSerializer;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.signing.UnverifiedValue;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chirp-session inspect}: shows what a cookie value claims, without verifying it and without a secret. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a cookie value claims, UNVERIFIED (no secret needed).",
            "Prints the payload, signing time, compression and size without checking the signature, so "
                + "anyone could have forged it. If a part is broken (a value cut short with '...', a character "
                + "that is not URL-safe base64), says which one on standard error and exits 1. A sealed cookie "
                + "(--format sealed, or recognised by its shape) shows only that it is sealed: its contents "
                + "need the secret."})
final class InspectCommand implements Callable<Integer> {

    static final String BANNER = "UNVERIFIED: the signature was not checked; anyone can forge this content.";

    private final CommandEnvironment environment;

    @Mixin
    private FormatOptions formatOptions;

    @Parameters(paramLabel = "COOKIE",
            description = "The cookie value; 'chirp_session=VALUE' or a pasted Set-Cookie value also work. "
                + "'-' reads it from standard input.")
    private String cookie;

    @Spec
    private CommandSpec spec;

    InspectCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        String token = CookieArgument.value(cookie, environment);
        boolean sealedFormat = formatOptions.format() == FormatOptions.Format.SEALED;
        // A sealed value has no dots; an itsdangerous value always has two.
        if (sealedFormat || (token.indexOf('.') < 0 && SealedSerializer.looksSealed(token))) {
            return sealed(token);
        }
        Shape shape = Shape.of(token);
        UnverifiedValue unverified = TimedSerializer.loadsUnsafe(shape.inspectable);
        boolean payloadReadable = unverified.problem() == null || unverified.value() != null;
        String problem = shape.problem != null ? shape.problem : unverified.problem();
        if (problem == null && unverified.signedAt() == null) {
            problem = "timestamp is not readable"; // a signing time past what java.time holds, say
        }

        PrintWriter out = spec.commandLine().getOut();
        out.println(BANNER);
        out.println("payload:     " + (payloadReadable ? SessionJson.write(unverified.value()) : "(unreadable)"));
        out.println("signed at:   " + signedAt(unverified));
        out.println("compressed:  " + compression(shape.inspectable, unverified));
        out.println("size:        cookie value " + token.length() + " bytes, JSON payload "
                + unverified.payloadBytes() + " bytes");
        if (problem != null) {
            out.flush();
            spec.commandLine().getErr().println(ChirpSessionCommand.PREFIX + "cannot read the cookie: " + problem);
            return ChirpSessionCommand.EXIT_REJECTED;
        }
        return ChirpSessionCommand.EXIT_OK;
    }

    /**
     * Which part of a value is broken, judged from its shape ({@code [.]PAYLOAD.TIMESTAMP.SIGNATURE},
     * each part URL-safe base64) before anything is decoded, and what can still be shown. The decoder
     * finds the signature and timestamp at the last two dots, so a value shortened with {@code ...}
     * would otherwise be reported as a payload that is not base64, whichever part was cut.
     */
    static final class Shape {
        private static final String[] NAMES = {"payload", "timestamp", "signature"};

        final String inspectable;
        final String problem;

        private Shape(String inspectable, String problem) {
            this.inspectable = inspectable;
            this.problem = problem;
        }

        static Shape of(String token) {
            boolean compressed = token.startsWith(".");
            String[] parts = token.substring(compressed ? 1 : 0).split("\\.", -1);
            if (parts.length < 3) {
                return new Shape(token, null); // no separators: the decoder says so
            }
            if (parts.length == 3) {
                for (int i = 0; i < 3; i++) {
                    String trouble = trouble(parts[i]);
                    if (trouble != null) {
                        return new Shape(token, "the " + NAMES[i] + " part " + trouble);
                    }
                }
                return new Shape(token, null);
            }
            String extra = " a value is [.]PAYLOAD.TIMESTAMP.SIGNATURE, so paste the whole value, not one shortened "
                    + "with '...'";
            int last = parts.length - 1;
            if (trouble(parts[last]) != null) {
                String problem = "the signature part is broken: it is cut short or followed by more dots;" + extra;
                boolean headIntact = trouble(parts[0]) == null && trouble(parts[1]) == null;
                // The payload and timestamp before it are intact: show them, still unverified.
                return new Shape(headIntact ? (compressed ? "." : "") + parts[0] + "." + parts[1] + "." + parts[2]
                        : token, problem);
            }
            if (trouble(parts[last - 1]) != null) {
                return new Shape(token, "the timestamp part is broken: it is empty or holds more dots;" + extra);
            }
            return new Shape(token, "the payload part is broken: it holds more dots;" + extra);
        }

        /** What is wrong with one part, or {@code null}. */
        private static String trouble(String part) {
            if (part.isEmpty()) {
                return "is empty";
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return "has a character that is not URL-safe base64 at index " + i + ": "
                            + (c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c));
                }
            }
            return null;
        }
    }

    /** A sealed value shows nothing without the secret: not the session, not even the signing time. */
    private int sealed(String token) {
        if (!SealedSerializer.looksSealed(token)) {
            spec.commandLine().getErr().println(ChirpSessionCommand.PREFIX + "cannot read the cookie: it is not a "
                    + "sealed v1 value (URL-safe base64 of 0x01, nonce, ciphertext and tag, at least 51 characters)");
            return ChirpSessionCommand.EXIT_REJECTED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("sealed:      chirp-sessions sealed v1 (AES-256-GCM); the session and its signing time are "
                + "encrypted");
        out.println("             and cannot be shown without the secret: use 'chirp-session decode --format sealed'");
        out.println("size:        cookie value " + token.length() + " bytes");
        return ChirpSessionCommand.EXIT_OK;
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
