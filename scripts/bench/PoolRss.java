import dev.chirp.sessions.signing.TimedSerializer;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.zip.*;

/**
 * RSS growth with many virtual threads: the library's pooled zlib streams ("library") against one
 * Deflater + Inflater held per thread, as a ThreadLocal would ("per-thread"). JDK 21+; see
 * docs/benchmarks.md, "Compression threshold", for the command.
 */
public class PoolRss {
    static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
        return -1;
    }
    public static void main(String[] a) throws Exception {
        String mode = a[0]; int n = Integer.parseInt(a[1]);
        TimedSerializer s = TimedSerializer.builder("rss-secret").build();
        Map<String, Object> session = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) session.put("k" + i, "value-" + i);
        String token = s.dumps(session);
        if (!token.startsWith(".")) throw new AssertionError("not compressed");
        for (int i = 0; i < 2000; i++) s.loads(s.dumps(session)); // warm up
        System.gc(); // synchronous with the default collector: RSS is read after it
        long before = rssKb();
        CountDownLatch done = new CountDownLatch(n), holding = new CountDownLatch(n), hold = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    if (mode.equals("library")) {
                        for (int k = 0; k < 5; k++) if (!s.loads(s.dumps(session)).isVerified()) throw new AssertionError();
                    } else { // what a ThreadLocal<Inflater>/<Deflater> per thread would keep alive
                        Inflater inf = new Inflater(); Deflater def = new Deflater(Deflater.BEST_SPEED);
                        def.setInput(new byte[300]); def.finish(); def.deflate(new byte[400]);
                        s.loads(token);
                        holding.countDown(); hold.await(); inf.end(); def.end();
                    }
                } catch (Exception e) { throw new RuntimeException(e); } finally { done.countDown(); }
            });
        }
        if (mode.equals("library")) done.await(); else holding.await(); // every thread holds its pair now
        long peak = rssKb();
        hold.countDown(); done.await();
        System.out.printf("%s: %d virtual threads, RSS before %d MB, after %d MB (+%d MB)%n", mode, n, before / 1024, peak / 1024, (peak - before) / 1024);
    }
}
