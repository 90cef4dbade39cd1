package dev.chirp.sessions.springboot;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Ordinary Spring MVC handlers, written against the public API only, that reach every way Spring commits
 * a response: a view redirect, a forward, a thrown exception (Boot's error page), {@code sendError}
 * through {@link ResponseStatusException}, a body with a known length, a streamed body, {@link Callable}
 * and {@link DeferredResult}.
 */
@Controller
public class ShopController {

    static final int STREAM_CHUNKS = 128;
    static final int CHUNK_BYTES = 8192;
    static final int BIG_BODY_BYTES = 256 * 1024;

    @GetMapping("/count")
    @ResponseBody
    String count() {
        return "n=" + increment(Sessions.get());
    }

    @GetMapping(value = "/session", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    String session() {
        return SessionJson.write(Sessions.get());
    }

    @GetMapping("/health")
    @ResponseBody
    String health() {
        return "ok";
    }

    @PostMapping("/login")
    String login(@RequestParam("username") String username) {
        Sessions.login(username);
        return "redirect:/whoami";
    }

    @PostMapping("/logout")
    String logout() {
        Sessions.logout();
        return "redirect:/whoami";
    }

    @GetMapping("/whoami")
    @ResponseBody
    String whoami() {
        return Sessions.userId().map(id -> "user=" + id).orElse("anonymous");
    }

    @GetMapping("/via-forward")
    String viaForward() {
        Sessions.get().put("forwarded", true);
        return "forward:/count";
    }

    @GetMapping("/boom")
    String boom() {
        Sessions.get().put("doomed", true);
        throw new IllegalStateException("handler failed on purpose");
    }

    @GetMapping("/gone")
    String gone() {
        Sessions.get().put("saw404", true);
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such thing");
    }

    @GetMapping("/big")
    ResponseEntity<byte[]> big() {
        Sessions.get().put("big", true);
        byte[] body = new byte[BIG_BODY_BYTES];
        Arrays.fill(body, (byte) 'b');
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(body);
    }

    @GetMapping("/stream")
    StreamingResponseBody stream(HttpServletRequest request) {
        Sessions.get().put("streamStarted", true);
        Session session = SessionFilter.session(request);  // the body is written on another thread
        return out -> {
            session.put("streamedChunks", STREAM_CHUNKS);
            byte[] chunk = "s".repeat(CHUNK_BYTES).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < STREAM_CHUNKS; i++) {
                out.write(chunk);
                out.flush();
            }
        };
    }

    @GetMapping("/callable")
    @ResponseBody
    Callable<String> callable(HttpServletRequest request) {
        Session session = SessionFilter.session(request);
        return () -> "n=" + increment(session);
    }

    @GetMapping("/deferred")
    @ResponseBody
    DeferredResult<String> deferred(HttpServletRequest request) {
        Session session = SessionFilter.session(request);
        DeferredResult<String> result = new DeferredResult<>(10_000L);
        new Thread(() -> result.setResult("n=" + increment(session)), "deferred-worker").start();
        return result;
    }

    private static int increment(Session session) {
        int n = ((Number) session.getOrDefault("n", 0)).intValue() + 1;
        session.put("n", n);
        return n;
    }
}
