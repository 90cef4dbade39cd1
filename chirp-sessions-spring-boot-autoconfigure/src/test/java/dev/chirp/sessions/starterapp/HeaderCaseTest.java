package dev.chirp.sessions.starterapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two requests on one keep-alive connection whose cookies differ in one letter's case: the second must be
 * read as sent (a bad signature, so an empty session). Jetty's header cache matches repeated values ignoring
 * case unless told otherwise, and then hands the second request the first one's cookie; the starter tells
 * it. Runs on Tomcat here and on Boot 4 + Jetty in chirp-sessions-spring-boot-jetty-it.
 */
class HeaderCaseTest {

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        app = StarterApp.start(Map.of("chirp.sessions.secret", StarterApp.SECRET));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void cookieThatDiffersOnlyInCaseFromThePreviousOneOnTheConnectionIsReadAsSent() throws IOException {
        HttpBrowser browser = new HttpBrowser(app);
        browser.post("/login?username=ada");
        String valid = browser.jar.get("chirp_session");
        String otherCase = flipOneLetterOfTheSignature(valid);

        List<String> bodies = new ArrayList<>();
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            for (String cookie : List.of(valid, otherCase)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: chirp_session=" + cookie
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                bodies.add(readBody(socket.getInputStream()));
            }
        }

        assertThat(bodies).containsExactly("user=ada", "anonymous");
    }

    private static String flipOneLetterOfTheSignature(String cookie) {
        int at = cookie.lastIndexOf('.') + 1;
        while (!Character.isLetter(cookie.charAt(at))) {
            at++;
        }
        char c = cookie.charAt(at);
        char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        return cookie.substring(0, at) + flipped + cookie.substring(at + 1);
    }

    /** One HTTP/1.1 response from a keep-alive connection, with a Content-Length or chunked. */
    private static String readBody(InputStream in) throws IOException {
        String head = readLine(in, "\r\n\r\n");
        boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
        if (!chunked) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    int length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
                }
            }
            throw new IOException("no Content-Length in " + head);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine(in, "\r\n").trim(), 16);
            if (size == 0) {
                readLine(in, "\r\n");
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(in.readNBytes(size));
            readLine(in, "\r\n");
        }
    }

    private static String readLine(InputStream in, String end) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (!line.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + line);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
