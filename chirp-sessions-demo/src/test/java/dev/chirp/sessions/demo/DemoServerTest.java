package dev.chirp.sessions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.signing.TimedSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoServerTest {

    private static final String SECRET = "demo-test-secret-0123456789abcdef-0123456789";

    private static DemoServer server;

    @BeforeAll
    static void start() throws Exception {
        // As DemoApp configures the cookie store: with the in-memory session-version table.
        server = DemoServer.start(SessionConfig.builder(SECRET).sessionVersions(new UserVersions()).build(),
                "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Browser browser() {
        return new Browser(server.uri());
    }

    @Test
    void theVisitCounterClimbsWhileTheBrowserSendsTheCookie() throws Exception {
        Browser browser = browser();

        assertThat(browser.get("/").body()).contains("Visits: 1");
        assertThat(browser.get("/").body()).contains("Visits: 2");
        assertThat(browser.get("/").body()).contains("Visits: 3");
    }

    @Test
    void theVisitCounterRestartsWithoutTheCookie() throws Exception {
        Browser browser = browser();
        browser.get("/");
        browser.get("/");

        browser.cookie = null;

        assertThat(browser.get("/").body()).contains("Visits: 1");
    }

    @Test
    void theCookieCarriesChirpsDefaultAttributes() throws Exception {
        HttpResponse<String> response = browser().get("/");

        assertThat(Browser.setCookies(response)).singleElement().satisfies(header -> assertThat(header)
                .startsWith("chirp_session=")
                .contains("; Path=/", "; HttpOnly", "; SameSite=Lax", "; Max-Age=86400")
                .doesNotContain("Secure", "Domain="));
        assertThat(response.headers().allValues("Vary")).contains("Cookie");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    }

    @Test
    void aTamperedCookieGivesAFreshSessionNotAnError() throws Exception {
        Browser browser = browser();
        browser.get("/");
        browser.get("/");
        char first = browser.cookie.charAt(2);
        browser.cookie = browser.cookie.substring(0, 2) + (first == 'A' ? 'B' : 'A') + browser.cookie.substring(3);

        HttpResponse<String> response = browser.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Visits: 1");
        assertThat(Browser.setCookies(response)).hasSize(1);
    }

    @Test
    void aCookieFromAnAppWithAnotherSecretGivesAFreshSession() throws Exception {
        Browser browser = browser();
        browser.cookie = TimedSerializer.builder("another-apps-secret").build().dumps(Map.of("visits", 41, "user_id", "mallory"));

        HttpResponse<String> response = browser.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Visits: 1").doesNotContain("mallory");
    }

    @Test
    void junkInTheCookieGivesAFreshSession() throws Exception {
        Browser browser = browser();
        browser.cookie = "not-a-cookie";

        assertThat(browser.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void loginChangesTheCookieRedirectsHomeAndGreetsTheUser() throws Exception {
        Browser browser = browser();
        browser.get("/");
        browser.get("/");
        String before = browser.cookie;

        HttpResponse<String> login = browser.post("/login", Map.of("username", "alice"));

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
        assertThat(Browser.setCookies(login)).hasSize(1);
        assertThat(browser.cookie).isNotNull().isNotEqualTo(before);
        String home = browser.get("/").body();
        assertThat(home).contains("Hello, <strong>alice</strong>!").contains("Visits: 1")
                .contains("action=\"/logout\"");
    }

    @Test
    void logoutChangesTheCookieAndForgetsTheUser() throws Exception {
        Browser browser = browser();
        browser.post("/login", Map.of("username", "alice"));
        String loggedIn = browser.cookie;

        HttpResponse<String> logout = browser.post("/logout", Map.of());

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).hasValue("/");
        assertThat(Browser.setCookies(logout)).hasSize(1);
        assertThat(browser.cookie).isNotEqualTo(loggedIn);
        assertThat(browser.get("/").body()).doesNotContain("Hello,").contains("action=\"/login\"");
    }

    @Test
    void theUsernameIsEscapedAndNonAsciiSurvives() throws Exception {
        Browser browser = browser();
        browser.post("/login", Map.of("username", "<script>alert('x')</script> Zoë 🍪"));

        String home = browser.get("/").body();

        assertThat(home).contains("Hello, <strong>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Zoë 🍪</strong>!")
                .doesNotContain("<script>");
    }

    @Test
    void anEmptyUsernameIsRefusedAndLogsNobodyIn() throws Exception {
        Browser browser = browser();

        HttpResponse<String> response = browser.post("/login", Map.of("username", "   "));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("The username must be 1 to 64 characters.");
        assertThat(browser.get("/").body()).doesNotContain("Hello,");
    }

    @Test
    void theCartKeepsAListInTheSession() throws Exception {
        Browser browser = browser();

        HttpResponse<String> add = browser.post("/cart", Map.of("item", "apple", "action", "add"));
        browser.post("/cart", Map.of("item", "<banana>", "action", "add"));
        browser.post("/cart", Map.of("item", "cherry", "action", "add"));
        browser.post("/cart", Map.of("item", "apple", "action", "remove"));

        assertThat(add.statusCode()).isEqualTo(303);
        assertThat(add.headers().firstValue("Location")).hasValue("/cart");
        String cart = browser.get("/cart").body();
        assertThat(cart).contains("<span class=\"name\">&lt;banana&gt;</span>", "<span class=\"name\">cherry</span>")
                .doesNotContain(">apple<");
        assertThat(browser.get("/session").body()).contains("\"cart\":[\"<banana>\",\"cherry\"]");
    }

    @Test
    void theCartComesAlongWhenTheVisitorLogsInAndNothingElseDoes() throws Exception {
        Browser browser = browser();
        browser.post("/cart", Map.of("item", "Sencha", "action", "add"));
        browser.get("/");
        String before = browser.cookie;

        browser.post("/login", Map.of("username", "carol"));

        assertThat(browser.cookie).isNotEqualTo(before);
        String session = browser.get("/session").body();
        assertThat(session).contains("\"cart\":[\"Sencha\"]").contains("\"user_id\":\"carol\"");
        assertThat(browser.get("/").body()).contains("Visits: 1"); // the visit count started over
        assertThat(browser.get("/cart").body()).contains("<span class=\"name\">Sencha</span>")
                .contains("<span class=\"price\">€8.50</span>");
    }

    @Test
    void anUnknownPathIsAFriendlyNotFoundPageWithoutACookie() throws Exception {
        HttpResponse<String> missing = browser().get("/no-such-page");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Page not found").contains("Back to the shop");
        assertThat(missing.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(missing.headers().firstValue("Vary")).isEmpty();
    }

    @Test
    void theStylesheetIsServedByTheDemoWithoutTouchingTheSession() throws Exception {
        HttpResponse<String> css = browser().get("/static/shop.css");

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(css.body()).contains(".products");
        assertThat(css.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(browser().get("/").body()).contains("<link rel=\"stylesheet\" href=\"/static/shop.css\">")
                .doesNotContain("://cdn").doesNotContain("<style>");
    }

    @Test
    void developerPagesAreLinkedFromTheFooterNotTheMainNavigation() throws Exception {
        String home = browser().get("/").body();
        String nav = home.substring(home.indexOf("<nav>"), home.indexOf("</nav>"));
        String footer = home.substring(home.indexOf("<footer>"));

        assertThat(nav).contains("href=\"/cart\"").doesNotContain("/session").doesNotContain("/health");
        assertThat(footer).contains("href=\"/session\"").contains("href=\"/health\"");
    }

    @Test
    void theCartRefusesAnUnknownActionAndAnEmptyItem() throws Exception {
        Browser browser = browser();

        assertThat(browser.post("/cart", Map.of("item", "apple", "action", "steal")).statusCode()).isEqualTo(400);
        assertThat(browser.post("/cart", Map.of("item", "", "action", "add")).statusCode()).isEqualTo(400);
        assertThat(browser.get("/cart").body()).contains("The cart is empty.");
    }

    @Test
    void theCartStopsBeforeTheCookieWouldOutgrowTheBrowsersLimit() throws Exception {
        Browser browser = browser();
        String big = "🍪".repeat(CartServlet.MAX_ITEM_BYTES / 4);
        for (int i = 0; i < CartServlet.MAX_ITEMS; i++) {
            assertThat(browser.post("/cart", Map.of("item", big, "action", "add")).statusCode()).isEqualTo(303);
        }

        HttpResponse<String> full = browser.post("/cart", Map.of("item", big, "action", "add"));

        assertThat(full.statusCode()).isEqualTo(400);
        assertThat(full.body()).contains("The cart is full");
        assertThat(browser.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void sessionShowsTheSessionAsJson() throws Exception {
        Browser browser = browser();
        browser.post("/login", Map.of("username", "Zoë"));
        browser.get("/");

        HttpResponse<String> response = browser.get("/session");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        // The whole session: the user, chirp's session version, the visits and the forms' CSRF token.
        assertThat(response.body()).matches("\\{\"user_id\":\"Zoë\",\"_session_version\":\"1\",\"visits\":1,"
                + "\"_csrf_token\":\"[0-9a-f]{64}\"}\n");
        assertThat(response.headers().allValues("Vary")).contains("Cookie");
        assertThat(Browser.setCookies(response)).as("reading does not rewrite the cookie").isEmpty();
    }

    @Test
    void aPostWithoutTheTokenOrWithAnotherSessionsTokenIsRefusedWith403() throws Exception {
        Browser browser = browser();
        String token = browser.csrfToken();
        assertThat(token).matches("[0-9a-f]{64}");

        HttpResponse<String> missing = browser.postWithoutToken("/login", Map.of("username", "mallory"));
        assertThat(missing.statusCode()).isEqualTo(403);
        // A page a person can act on, with the filter's reason under it.
        assertThat(missing.body()).contains("Reload the page and try again.").contains("CSRF token missing")
                .contains("href=\"/\"");
        Browser other = browser();
        HttpResponse<String> foreign = browser.postWithoutToken("/cart",
                Map.of("item", "x", "action", "add", "_csrf_token", other.csrfToken()));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("CSRF token invalid");
        assertThat(browser.get("/").body()).doesNotContain("Hello,");

        HttpResponse<String> withToken = browser.postWithoutToken("/login",
                Map.of("username", "alice", "_csrf_token", token));
        assertThat(withToken.statusCode()).isEqualTo(303);
        assertThat(browser.get("/").body()).contains("Hello, <strong>alice</strong>!");
    }

    @Test
    void everyFormCarriesTheCsrfField() throws Exception {
        Browser browser = browser();
        String anonymousHome = browser.get("/").body();
        assertThat(anonymousHome).containsPattern("action=\"/login\"><input type=\"hidden\" name=\"_csrf_token\"");
        browser.post("/cart", Map.of("item", "apple", "action", "add"));
        browser.post("/login", Map.of("username", "alice"));
        for (String page : new String[] {"/", "/cart", "/account"}) {
            String html = browser.get(page).body();
            int forms = html.split("<form ", -1).length - 1;
            int fields = html.split("name=\"_csrf_token\"", -1).length - 1;
            assertThat(forms).as(page).isPositive().isEqualTo(fields);
        }
    }

    @Test
    void loginAndLogoutFlashAMessageShownOnce() throws Exception {
        Browser browser = browser();
        browser.post("/login", Map.of("username", "alice"));
        assertThat(browser.get("/").body()).contains("Logged in as alice.");
        assertThat(browser.get("/").body()).doesNotContain("Logged in as alice.");
        browser.post("/logout", Map.of());
        assertThat(browser.get("/").body()).contains("Logged out.");
        assertThat(browser.get("/").body()).doesNotContain("Logged out.");
    }

    @Test
    void logOutEverywhereEndsTheOtherBrowsersCookieSessionAndANewLoginWorks() throws Exception {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.post("/login", Map.of("username", "dana"));
        phone.post("/login", Map.of("username", "dana"));
        assertThat(phone.get("/account").body()).contains("Logged in as <strong>dana</strong>")
                .contains("Log out everywhere").contains("session version is <code>1</code>");

        HttpResponse<String> everywhere = laptop.post("/logout/everywhere", Map.of());
        assertThat(everywhere.statusCode()).isEqualTo(303);
        assertThat(laptop.get("/").body()).contains("Logged out everywhere").doesNotContain("Hello,");

        HttpResponse<String> next = phone.get("/");
        assertThat(next.body()).doesNotContain("Hello,");
        assertThat(Browser.setCookies(next)).singleElement().satisfies(c -> assertThat(c).doesNotContain("Max-Age=0"));
        assertThat(phone.get("/session").body()).doesNotContain("dana");

        phone.post("/login", Map.of("username", "dana"));
        assertThat(phone.get("/").body()).contains("Hello, <strong>dana</strong>!");
        assertThat(phone.get("/session").body()).contains("\"_session_version\":\"2\"");
    }

    @Test
    void logOutOtherSessionsKeepsThisOneInCookieMode() throws Exception {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.post("/login", Map.of("username", "erin"));
        phone.post("/login", Map.of("username", "erin"));

        assertThat(laptop.post("/logout/others", Map.of()).headers().firstValue("Location")).hasValue("/account");
        assertThat(laptop.get("/account").body()).contains("Logged out every other session.")
                .contains("Logged in as <strong>erin</strong>");
        assertThat(phone.get("/").body()).doesNotContain("Hello,");
        assertThat(browser().get("/account").statusCode()).as("anonymous: back home").isEqualTo(303);
    }

    @Test
    void healthNeverTouchesTheSession() throws Exception {
        Browser browser = browser();
        browser.get("/");

        HttpResponse<String> withCookie = browser.get("/health");
        browser.cookie = "tampered.junk.value";
        HttpResponse<String> withBadCookie = browser.get("/health");
        browser.cookie = null;
        HttpResponse<String> withoutCookie = browser.get("/health");

        for (HttpResponse<String> response : java.util.List.of(withCookie, withBadCookie, withoutCookie)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok\n");
            assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(response.headers().allValues("Vary")).isEmpty();
        }
    }

    @Test
    void anUnknownPathIsNotFoundAndDoesNotCountAsAVisit() throws Exception {
        Browser browser = browser();
        browser.get("/");

        assertThat(browser.get("/favicon.ico").statusCode()).isEqualTo(404);

        assertThat(browser.get("/").body()).contains("Visits: 2");
    }

    @Test
    void getOnLoginOrLogoutGoesHomeInsteadOfFailing() throws Exception {
        assertThat(browser().get("/login").statusCode()).isEqualTo(303);
        assertThat(browser().get("/logout").statusCode()).isEqualTo(303);
    }

    @Test
    void aCookieThatDiffersOnlyInCaseFromThePreviousOneOnTheConnectionIsReadAsSent() throws Exception {
        // Jetty's per-connection header cache matched a repeated header value ignoring case, so the
        // second request below was handed the first one's Cookie: a changed cookie read as the
        // valid one. The demo turns on HttpConfiguration.setHeaderCacheCaseSensitive(true).
        Browser alice = browser();
        alice.post("/login", Map.of("username", "alice"));
        String valid = alice.cookie;
        int last = valid.length() - 1;
        char c = valid.charAt(last);
        char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        if (flipped == c) { // a digit, '-' or '_': flip the first letter of the signature instead
            last = valid.lastIndexOf('.') + 1;
            while (!Character.isLetter(valid.charAt(last))) {
                last++;
            }
            c = valid.charAt(last);
            flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        }
        String otherCase = valid.substring(0, last) + flipped + valid.substring(last + 1);

        List<String> bodies = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            for (String cookie : List.of(valid, otherCase)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: chirp_session=" + cookie
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                bodies.add(readResponseBody(socket.getInputStream()));
            }
        }
        assertThat(bodies.get(0)).contains("\"alice\"");
        assertThat(bodies.get(1)).doesNotContain("alice"); // a bad signature: an empty session
    }

    /** Reads one HTTP/1.1 response with a Content-Length from a keep-alive connection; returns its body. */
    private static String readResponseBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers: " + head);
            }
            head.write(b);
        }
        int length = -1;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        assertThat(length).as("Content-Length in " + head).isNotNegative();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void aJsonLoginBodyIsAskedToBeAFormAndLogsNobodyIn() throws Exception {
        // With a valid CSRF token in the header, so that the request reaches the login page itself.
        Browser browser = browser();
        String token = browser.csrfToken();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(server.uri().resolve("/login"))
                .header("Content-Type", "application/json")
                .header("Cookie", "chirp_session=" + browser.cookie)
                .header("X-CSRF-Token", token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\": \"alice\"}")).build();

        HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("Send a form").contains("application/x-www-form-urlencoded")
                .doesNotContain("1 to 64 characters");
        assertThat(Browser.setCookies(response)).isEmpty();
    }

    @Test
    void removingAnItemThatIsNotInTheCartSendsNoCookie() throws Exception {
        Browser browser = browser();
        browser.post("/cart", Map.of("item", "pear", "action", "add"));

        HttpResponse<String> response = browser.post("/cart", Map.of("item", "apple", "action", "remove"));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(Browser.setCookies(response)).isEmpty();
        assertThat(browser.get("/cart").body()).contains("pear");
        assertThat(Browser.setCookies(browser.post("/cart", Map.of("item", "pear", "action", "remove")))).hasSize(1);
    }
}
