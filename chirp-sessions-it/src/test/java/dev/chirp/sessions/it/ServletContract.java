package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chirp.sessions.it.Browser.Reply;
import dev.chirp.sessions.testkit.LogCapture;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session contract plus every way a servlet response can commit, and async processing, for the
 * servlet containers. Each case stores a value before the commit point and checks that exactly that
 * value arrives in exactly one {@code Set-Cookie}, and that a change after it is refused, not lost.
 */
abstract class ServletContract extends SessionContract {

    /** Runs servlet case {@code name} and returns the reply and the outcome of its late change, if any. */
    private Outcome run(String name, String query) {
        String id = UUID.randomUUID().toString();
        Reply reply = browser().get("/app/s/" + name + "?id=" + id + (query.isEmpty() ? "" : "&" + query));
        return new Outcome(reply, id);
    }

    private Outcome run(String name) {
        return run(name, "");
    }

    @Override
    protected String serverCase(String name) {
        return "/app/s/" + name;
    }

    private record Outcome(Reply reply, String id) {
        String lateChange() throws InterruptedException {
            // The late change may run after the client has the response: wait for it, at most a minute
            // (a hang guard on a loaded machine, not a speed limit).
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!SessionOps.LATE_CHANGES.containsKey(id) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            return SessionOps.LATE_CHANGES.get(id);
        }
    }

    @Test
    void flushBufferWritesTheCookieFirst() throws Exception {
        Outcome o = run("flush-buffer");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "flushed"));
        assertThat(o.reply().body()).isEqualTo("before;refused");
    }

    @Test
    void writerFlushWritesTheCookieFirst() throws Exception {
        Outcome o = run("writer-flush");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "writer-flushed"));
        assertThat(o.reply().body()).isEqualTo("before;refused");
    }

    @Test
    void writerCloseWritesTheCookieFirst() throws Exception {
        Outcome o = run("writer-close");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "writer-closed"));
        assertThat(o.reply().body()).startsWith("closed");
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @Test
    void streamFlushWritesTheCookieFirst() throws Exception {
        Outcome o = run("stream-flush");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "stream-flushed"));
        assertThat(o.reply().body()).isEqualTo("before;refused");
    }

    @Test
    void streamCloseWritesTheCookieFirst() throws Exception {
        Outcome o = run("stream-close");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "stream-closed"));
        assertThat(o.reply().body()).isEqualTo("closed");
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @Test
    void bodyLargerThanTheBufferThroughTheWriterCarriesTheCookie() throws Exception {
        Outcome o = run("large-writer");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "large-writer"));
        assertThat(o.reply().body()).hasSize(ContractServlet.LARGE);
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @Test
    void bodyLargerThanTheBufferThroughTheStreamCarriesTheCookie() throws Exception {
        Outcome o = run("large-stream");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "large-stream"));
        assertThat(o.reply().body()).hasSize(ContractServlet.LARGE);
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @Test
    void singleWriteAboveJettysAggregationSizeCarriesTheCookie() throws Exception {
        Outcome o = run("single-large-write");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "single-large-write"));
        assertThat(o.reply().body()).hasSize(20_000);
    }

    @Test
    void threeByteCharactersAreCountedAsBytesNotChars() throws Exception {
        Outcome o = run("multibyte-writer");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "multibyte"));
        assertThat(o.reply().body()).hasSize(12_000).matches("€+");
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @Test
    void reachingTheDeclaredContentLengthWritesTheCookieFirst() throws Exception {
        Outcome o = run("content-length");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "content-length"));
        assertThat(o.reply().body()).isEqualTo("hello world");
        assertThat(o.reply().response().headers().firstValue("content-length")).hasValue("11");
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"len-after-stream", "len-long-after-stream", "len-header-after-stream",
            "len-lowercase-header-after-stream", "len-add-header-after-stream", "len-int-header-after-stream",
            "len-add-int-header-after-stream", "len-after-writer"})
    void declaringTheLengthOfABodyAlreadyWrittenWritesTheCookieFirst(String name) throws Exception {
        // Tomcat counts the response as complete once the declared length is written, and drops every
        // header added after that.
        Outcome o = run(name);
        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().body()).isEqualTo("hello");
        assertThat(o.reply().response().headers().firstValue("content-length")).hasValue("5");
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", name));
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @Test
    void declaringAnEmptyBodyFirstLeavesTheSessionOpen() throws Exception {
        Outcome o = run("len-zero-first");
        assertThat(o.reply().status()).isEqualTo(200);
        assertThat(o.reply().body()).isEmpty();
        assertThat(savedSession(o.reply())).containsOnly(
                Map.entry("v", "len-zero-first"), Map.entry("late", "change after the cookie was written"));
        assertThat(o.lateChange()).isEqualTo("accepted");
    }

    @Test
    void inPlaceChangeOnAnErrorPageIsReported() throws Exception {
        Browser browser = browser();
        browser.get("/app/cart");
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            Reply reply = browser.get("/app/s/error-421");
            assertThat(reply.status()).isEqualTo(421);
            assertThat(reply.body()).isEqualTo("error page changed cart");
            assertThat(log.awaitWarning("changed in place after it was written"))
                    .anySatisfy(w -> assertThat(w).contains("changed in place after it was written"));
        }
        assertThat(browser.get("/app/get?k=cart").body()).isEqualTo("[a]");
    }

    @Test
    void sessionFirstReadOnAnErrorPageIsReportedNotSent() throws Exception {
        Browser browser = browser();
        browser.get("/app/cart");
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            // sendError commits an untouched session; the error page then reads it on the ERROR dispatch.
            Reply reply = browser.get("/app/s/error-419");
            assertThat(reply.status()).isEqualTo(419);
            assertThat(reply.body()).isEqualTo("error page sees cart=[a]");
            assertThat(reply.setCookies()).isEmpty();
            assertThat(log.awaitWarning("first read after the response committed"))
                    .anySatisfy(w -> assertThat(w).contains("first read after the response committed"));
        }
    }

    @ParameterizedTest(name = "sendRedirect overload {0}")
    @ValueSource(strings = {"1", "2", "3", "4"})
    void everySendRedirectOverloadWritesTheCookieFirst(String form) throws Exception {
        // Forms 2-4 are Servlet 6.1's; an application built on the 6.0 API (Spring Boot 3.5's, as
        // scripts/check-dependency-ranges.sh runs this suite) cannot call them.
        assumeTrue(form.equals("1") || servlet61Api(), "the Servlet API on the class path is 6.0");
        Outcome o = run("redirect", "form=" + form);
        int expected = switch (form) {
            case "3" -> 303;
            case "4" -> 307;
            default -> 302;
        };
        assertThat(o.reply().status()).isEqualTo(expected);
        assertThat(o.reply().response().headers().firstValue("location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/app/none"));
        assertThat(savedSession(o.reply())).containsOnly(Map.entry("v", "redirect-" + form));
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    private static boolean servlet61Api() {
        try {
            HttpServletResponse.class.getMethod("sendRedirect", String.class, int.class, boolean.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "sendError {0}")
    @ValueSource(strings = {"", "msg=forbidden"})
    void sendErrorWritesTheCookieFirst(String query) throws Exception {
        Outcome o = run("send-error", query);
        Reply reply = o.reply();
        assertThat(reply.status()).isEqualTo(query.isEmpty() ? 404 : 403);
        assertThat(apps.decode(reply.onlyCookie().value())).containsOnly(Map.entry("v", "send-error"));
        // Jetty removes Vary while it renders its own error page, which it marks no-store: no cache
        // may keep it, so the missing Vary cannot serve the page to another user.
        if (reply.vary().isEmpty()) {
            assertThat(reply.response().headers().firstValue("cache-control")).hasValueSatisfying(
                    cacheControl -> assertThat(cacheControl).contains("no-store"));
        } else {
            assertThat(reply.vary()).containsExactly("Cookie");
        }
        assertThat(o.lateChange()).isEqualTo("refused");
    }

    @Test
    void errorPageOnTheErrorDispatchSeesTheSameSession() {
        Reply reply = browser().get("/app/s/error-418");
        assertThat(reply.status()).isEqualTo(418);
        assertThat(reply.body()).isEqualTo("error page sees v=before-error-page dispatch=ERROR late=refused");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "before-error-page"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "422, flushes,                     flushed error page sees v=before-flushing-error-page, before-flushing-error-page",
        "423, writes 10000 bytes at once,  , before-big-error-page",
        "424, reaches its Content-Length,  fixed length error page, before-fixed-length-error-page",
    })
    void anErrorPageThatCommitsBeforeItsDispatchEndsStillCarriesVary(int status, String how, String body,
            String saved) {
        // Jetty strips Vary on sendError; an error page can commit before the end of its dispatch, and
        // not only by flushing (Spring MVC's JSON error page flushes; a converter declares the length).
        Reply reply = browser().get("/app/s/error-" + status);
        assertThat(reply.status()).isEqualTo(status);
        if (body == null) {
            assertThat(reply.body()).hasSize(10_000);
        } else {
            assertThat(reply.body()).isEqualTo(body);
        }
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", saved));
        assertThat(reply.vary()).containsExactly("Cookie");
    }

    @Test
    void errorPageForAnExceptionSeesTheFailedRequestsSessionAndSavesNothing() {
        // The handler threw, so nothing is saved; the error page runs on an ERROR dispatch with the
        // container's bare request and must still see the same (frozen) session, not a fresh one read
        // from the cookie (which would show v=kept and accept the late change).
        Browser browser = browser();
        browser.get("/app/put?k=v&v=kept");
        Reply reply;
        // Tomcat reports the handler's exception at SEVERE: expected here, so kept out of the build log.
        try (LogCapture container = LogCapture.of("org.apache.catalina.core")) {
            reply = browser.get("/app/s/throw-to-error-page");
        }
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).isEqualTo("error page sees v=before-exception dispatch=ERROR late=refused");
        assertThat(reply.setCookies()).isEmpty();
        assertThat(browser.get("/app/get?k=v").body()).isEqualTo("kept");
    }

    @Test
    void anOrdinaryRequestSetsNoRequestAttribute() {
        // Under Jetty the first setAttribute of a request allocates a map: the filter finds its state
        // through its wrapper instead, and publishes it only when a later dispatch may need it.
        Reply reply = browser().get("/app/s/state-attribute");
        assertThat(reply.body()).isEqualTo("attribute=false");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "state-attribute"));
    }

    @Test
    void resetBeforeAnyCommitPointKeepsEveryChange() {
        Reply reply = browser().get("/app/s/reset");
        assertThat(reply.body()).isEqualTo("clean");
        assertThat(reply.response().headers().firstValue("x-junk")).isEmpty();
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "a"), Map.entry("w", "b"));
    }

    @Test
    void resetAfterTheCookieWasWrittenWritesItAgainOnce() {
        Reply reply = browser().get("/app/s/reset-after-cookie");
        assertThat(reply.body()).isEqualTo("clean committed=false late=refused");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "a"));
    }

    @Test
    void resetBufferKeepsTheCookie() {
        Reply reply = browser().get("/app/s/reset-buffer");
        assertThat(reply.body()).isEqualTo("clean");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "reset-buffer"));
    }

    @Test
    void otherSetCookieHeadersOfTheApplicationSurvive() {
        Reply reply = browser().get("/app/s/other-cookie");
        assertThat(reply.setCookies()).hasSize(2).anySatisfy(c -> assertThat(c).startsWith("theme=dark"));
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "with-other-cookie"));
    }

    @Test
    void handlerThatThrowsAfterWritingSavesNothing() {
        Browser browser = browser();
        browser.get("/app/put?k=v&v=kept");
        Reply reply;
        try (LogCapture container = LogCapture.of("org.apache.catalina.core")) {
            reply = browser.get("/app/s/throw-after-write");
        }
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.setCookies()).isEmpty();
        assertThat(browser.get("/app/get?k=v").body()).isEqualTo("kept");
    }

    @Test
    void sessionTooLargeFailsTheRequestBeforeAnythingIsSent() {
        Reply reply;
        try (LogCapture log = LogCapture.of("dev.chirp.sessions");
             LogCapture container = LogCapture.of("org.apache.catalina.core")) {
            reply = browser().get("/app/s/too-large");
            assertThat(log.awaitWarning("over the limit of 4096")).anyMatch(w -> w.contains("over the limit of 4096"));
        }
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.setCookies()).isEmpty();
        assertThat(reply.body()).doesNotContain("must not be sent");
    }

    @Test
    void sessionTooLargeStillFailsTheRequestWhenTheHandlerSwallowsTheException() {
        Reply reply;
        try (LogCapture log = LogCapture.of("dev.chirp.sessions");
             LogCapture container = LogCapture.of("org.apache.catalina.core")) {
            reply = browser().get("/app/s/too-large-swallowed");
            assertThat(log.awaitWarning("over the limit of 4096")).anyMatch(w -> w.contains("over the limit of 4096"));
        }
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.setCookies()).isEmpty();
        assertThat(reply.body()).doesNotContain("must not be sent").doesNotContain("HANDLER WENT ON");
    }

    @Test
    void changeInPlaceAfterTheCookieWasWrittenIsLoggedNotLostInSilence() throws Exception {
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            Reply reply = browser().get("/app/s/late-in-place");
            assertThat(savedSession(reply)).containsOnly(Map.entry("items", java.util.List.of("a")));
            assertThat(log.awaitWarning("changed in place after it was written"))
                    .anySatisfy(w -> assertThat(w).contains("changed in place after it was written"));
        }
    }

    @Test
    void forwardWritesTheCookieOfTheForwardingRequest() {
        Reply reply = browser().get("/app/s/forward");
        assertThat(reply.body()).isEqualTo("forward target sees v=forwarded");
        assertThat(savedSession(reply)).containsOnly(
                Map.entry("v", "forwarded"), Map.entry("target", "changed by the forward target"));
    }

    @Test
    void asyncCompleteFromAnotherThreadWritesOneUpToDateCookie() {
        Browser browser = browser();
        for (int i = 1; i <= 3; i++) {
            Reply reply = browser.get("/app/s/async-complete");
            assertThat(reply.body()).isEqualTo("async count=" + i);
            assertThat(savedSession(reply)).containsOnly(Map.entry("count", i));
        }
    }

    @Test
    void asyncFlushFromAnotherThreadWritesTheCookieFirst() {
        Reply reply = browser().get("/app/s/async-flush");
        assertThat(reply.body()).isEqualTo("before;refused");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "async-flushed"));
    }

    @Test
    void asyncDispatchWritesOneCookieWithWhatEveryDispatchStored() {
        Reply reply = browser().get("/app/s/async-dispatch");
        assertThat(reply.body()).isEqualTo("dispatched async=worked");
        assertThat(savedSession(reply)).containsOnly(
                Map.entry("v", "before-async"), Map.entry("async", "worked"), Map.entry("dispatched", true));
    }

    @Test
    void asyncDispatchOfAContextStartedOnTheBareRequestSharesTheSession() {
        Reply reply = browser().get("/app/s/async-dispatch-bare");
        assertThat(reply.body()).isEqualTo("dispatched v=before-bare-async");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "before-bare-async"), Map.entry("dispatched", true));
    }

    @Test
    void asyncStartBindsTheSessionOnItsThread() {
        Reply reply = browser().get("/app/s/async-start");
        assertThat(reply.body()).isEqualTo("started");
        assertThat(savedSession(reply)).containsOnly(Map.entry("started", "in AsyncContext.start"));
    }

    @Test
    void asyncTimeoutSavesNothing() {
        Reply reply = browser().get("/app/s/async-timeout");
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.setCookies()).isEmpty();
    }

    @Test
    void requestOutsideTheFilterHasNoSession() {
        assertThat(browser().get("/plain/s/accessor").body()).isEqualTo("no session; Sessions.get(): not bound");
        assertThat(browser().get("/app/s/accessor").body()).isEqualTo("session keys []; Sessions.get(): bound");
    }

    @Test
    void filterBuiltFromAnInitParamServesSessions() {
        Browser browser = browser();
        assertThat(browser.get("/initparam/count").body()).isEqualTo("count=1");
        Reply second = browser.get("/initparam/count");
        assertThat(second.body()).isEqualTo("count=2");
        assertThat(second.vary()).containsExactly("Cookie");
        assertThat(second.setCookies()).hasSize(1);
    }
}
