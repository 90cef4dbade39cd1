package dev.chirp.sessions.spring.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One form of {@link BenchApplication} running in its own JVM, so that no form inherits another's JIT
 * profile, heap or threads.
 */
final class AppProcess implements AutoCloseable {

    static final String USER = "bench-user";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final URI base;
    private final Form form;
    private final Path log;

    private AppProcess(Process process, URI base, Form form, Path log) {
        this.process = process;
        this.base = base;
        this.form = form;
        this.log = log;
    }

    /** The {@code java} command line that starts {@code form}, as the report prints it. */
    static List<String> command(String java, List<String> jvmOptions, String classPath, Form form, int port,
            int redisPort) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, BenchApplication.class.getName(),
                "--spring.profiles.active=" + form.profile(), "--server.port=" + port,
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort));
        return command;
    }

    /** Starts {@code form} on a free port and waits until it serves {@code /read}. */
    static AppProcess start(String java, List<String> jvmOptions, String classPath, Form form, int redisPort,
            String secret, Path log) throws IOException, InterruptedException {
        int port = BenchRedis.freePort();
        ProcessBuilder builder = new ProcessBuilder(command(java, jvmOptions, classPath, form, port, redisPort))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CHIRP_SESSION_SECRET", secret);
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        AppProcess app = new AppProcess(process, URI.create("http://127.0.0.1:" + port), form, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(form.profile() + " exited at start; see " + log);
            }
            try {
                if (app.get("/read", null).statusCode() == 200) {
                    return app;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                app.close();
                throw new IllegalStateException(form.profile() + " did not answer within 180 s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** The URL of {@code path} on this app. */
    URI url(String path) {
        return base.resolve(path);
    }

    /**
     * Logs {@link #USER} in and checks that the session works: {@code /read} shows the user with the
     * cookie and {@code /write} counts.
     *
     * @return the {@code Cookie} header value ({@code name=value}) that carries the session
     */
    String login() throws IOException, InterruptedException {
        HttpResponse<String> login = CLIENT.send(HttpRequest.newBuilder(url("/login?user=" + USER))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(form.cookieName() + "="))
                .map(header -> header.substring(0, header.indexOf(';') < 0 ? header.length() : header.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(form.profile() + ": login set no " + form.cookieName()
                        + " cookie (status " + login.statusCode() + ", see " + log + ")"));
        expect(get("/read", cookie), "user=" + USER);
        expect(get("/write", cookie), "counter=1");
        return cookie;
    }

    private void expect(HttpResponse<String> response, String body) {
        if (response.statusCode() != 200 || !response.body().equals(body)) {
            throw new IllegalStateException(form.profile() + ": expected 200 \"" + body + "\" from "
                    + response.uri().getPath() + ", got " + response.statusCode() + " \"" + response.body() + "\"");
        }
    }

    HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
