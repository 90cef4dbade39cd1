package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JSON rule every format and store reads under ({@link Json#read(byte[], int, int)}), stated against
 * Python: a text is read exactly when itsdangerous' {@code loads} would read it ({@code decode("utf-8")},
 * then {@code json.loads}) and the value holds no non-finite number and no unpaired surrogate, which no
 * session value may hold. Python's verdicts come from the real python3 when there is one.
 */
class JsonRuleTest {

    private static final Charset UTF_32 = Charset.forName("UTF-32");

    private static List<byte[]> texts() {
        List<byte[]> texts = new ArrayList<>();
        for (String number : new String[] {"1", "-0", "1.5", "1e5", "1E+5", "1e-5", "-1.5e-300", "0.0e0",
            "12345678901234567890123", "1.7976931348623157e308", "01", "-01", "+1", ".5", "5.", "1.e5", "1e",
            "--1", "- 1", "0x10", "1_000", "NaN", "Infinity", "-Infinity", "+Infinity", "INF", "-INF", "+INF",
            "-NaN", "nan", "inf", "1e999", "-1e999", "1e400", "Infinityx", "true", "null", "tru"}) {
            texts.add(("{\"a\":" + number + "}").getBytes(StandardCharsets.US_ASCII));
            texts.add(("[" + number + "]").getBytes(StandardCharsets.US_ASCII));
        }
        String sample = "{\"a\":\"caf\u00e9 \uD83C\uDF6A\"}";
        texts.add(sample.getBytes(StandardCharsets.UTF_8));
        texts.add(concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, sample.getBytes(StandardCharsets.UTF_8)));
        texts.add(sample.getBytes(StandardCharsets.UTF_16LE));
        texts.add(sample.getBytes(StandardCharsets.UTF_16BE));
        texts.add(sample.getBytes(StandardCharsets.UTF_16));
        texts.add(sample.getBytes(UTF_32));
        texts.add(sample.getBytes(Charset.forName("UTF-32LE")));
        texts.add(bytes("{\"a\":\"", 0xc0, 0x80, "\"}"));
        texts.add(bytes("{\"a\":\"", 0xe0, 0x80, 0xaf, "\"}"));
        texts.add(bytes("{\"a\":\"", 0xed, 0xa0, 0x80, "\"}"));
        texts.add(bytes("{\"a\":\"", 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, "\"}"));
        texts.add(bytes("{\"a\":\"", 0xf4, 0x90, 0x80, 0x80, "\"}"));
        texts.add(bytes("{\"a\":\"", 0xf8, 0x88, 0x80, 0x80, 0x80, "\"}"));
        texts.add(bytes("{\"a\":\"", 0xe9, "\"}"));
        texts.add(bytes("{\"a\":\"", 0xe2, 0x82, "\"}"));
        texts.add(bytes("{\"a\":\"x", 0x00, "\"}"));
        texts.add(bytes("{\"a\":\"x", 0x01, "\"}"));
        texts.add(bytes("{\"a\":\"x", 0x7f, "\"}"));
        texts.add(bytes("{\"a\":\"x", 0xe2, 0x80, 0xa8, "\"}"));
        for (String text : new String[] {"{\"a\":\"\\ud800\"}", "{\"a\":\"\\ud83c\\udf6a\"}", "{\"a\":1,}", "[1,]",
            "/*c*/{}", "{'a':1}", "{a:1}", "{\"a\":1,\"a\":2}", " {} ", "{}\n", "\t[]\r\n", "{} x", "", " ",
            "\"text\"", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u00e9\"}", "{\"a\" : [ 1 , 2 ] }"}) {
            texts.add(text.getBytes(StandardCharsets.UTF_8));
        }
        return texts;
    }

    @Test
    void javaReadsExactlyWhatPythonReadsLessNonFiniteNumbersAndLoneSurrogates() throws Exception {
        List<byte[]> texts = texts();
        List<String> python = pythonVerdicts(texts);
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            byte[] text = texts.get(i);
            boolean javaReads;
            try {
                Json.read(text);
                javaReads = true;
            } catch (IOException refused) {
                javaReads = false;
            }
            boolean shouldRead = python.get(i).equals("ok");
            if (javaReads != shouldRead) {
                disagreements.add(HexFormat.of().formatHex(text) + " (" + new String(text, StandardCharsets.ISO_8859_1)
                        + "): python " + python.get(i) + ", java " + (javaReads ? "reads it" : "refuses it"));
            }
        }
        assertThat(disagreements).as("texts where Java's verdict is not Python's under the rule").isEmpty();
        assertThat(python).contains("ok", "refused", "non-finite", "lone-surrogate");
    }

    /**
     * For each text: {@code ok}, {@code refused} (Python's loads raises), or why Java refuses what Python
     * reads ({@code non-finite}, {@code lone-surrogate}).
     */
    private static List<String> pythonVerdicts(List<byte[]> texts) throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        String script = "import json, math, sys\n"
                + "def bad(v):\n"
                + "    if isinstance(v, float) and not math.isfinite(v): return 'non-finite'\n"
                + "    if isinstance(v, str) and any(0xd800 <= ord(c) <= 0xdfff for c in v): return 'lone-surrogate'\n"
                + "    items = list(v.items()) if isinstance(v, dict) else [(None, x) for x in v] if isinstance(v, list) else []\n"
                + "    for k, x in items:\n"
                + "        r = (k is not None and bad(k)) or bad(x)\n"
                + "        if r: return r\n"
                + "    return None\n"
                + "for line in sys.stdin.read().split():\n"
                + "    try:\n"
                + "        v = json.loads(bytes.fromhex(line[1:]).decode('utf-8'))\n"
                + "    except ValueError:\n"
                + "        print('refused'); continue\n"
                + "    print(bad(v) or 'ok')\n";
        Process process;
        try {
            process = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: no python3 to compare the JSON rule with (" + e.getMessage() + ")");
            throw e;
        }
        StringBuilder input = new StringBuilder();
        for (byte[] text : texts) {
            input.append('x').append(HexFormat.of().formatHex(text)).append('\n'); // 'x': an empty text is a line too
        }
        process.getOutputStream().write(input.toString().getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        List<String> verdicts = List.of(out.strip().split("\n"));
        assertThat(verdicts).as(out).hasSize(texts.size());
        return verdicts;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Strings as UTF-8, integers as single bytes. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }
}
