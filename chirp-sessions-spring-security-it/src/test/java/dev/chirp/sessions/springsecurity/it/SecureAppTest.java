package dev.chirp.sessions.springsecurity.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Security form login, logout and CSRF protection on chirp sessions, in a real Spring Boot
 * application on port 0 (Tomcat here, Jetty and Spring Boot 3.5 in the sibling modules), driven through real
 * HTTP: the login lives in the signed chirp cookie, readable by chirp, and no HttpSession is ever created.
 */
class SecureAppTest {

    static final String SECRET = "spring-security-it-secret-0123456789abcdef";
    static final String COOKIE = "chirp_session";
    private static final TimedSerializer SERIALIZER = TimedSerializer.builder(SECRET).build();
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    private static ConfigurableApplicationContext app;
    static URI base;

    @BeforeAll
    static void start() {
        app = start(SECRET);
        base = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
    }

    static ConfigurableApplicationContext start(String secret) {
        return new SpringApplicationBuilder(SecureApplication.class)
                .properties("server.port=0", "chirp.sessions.secret=" + secret, "spring.main.banner-mode=off",
                        "logging.level.root=WARN", "logging.level.org.openqa.selenium=ERROR",
                        "chirp.sessions.spring-security.keep-on-login=cart")
                .run();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private int httpSessionsBefore;

    @BeforeEach
    void countHttpSessions() {
        httpSessionsBefore = SecureApplication.HTTP_SESSIONS_CREATED.get();
    }

    @AfterEach
    void noHttpSessionWasCreated() {
        assertThat(SecureApplication.HTTP_SESSIONS_CREATED.get() - httpSessionsBefore)
                .as("HttpSessions the container created during the test").isZero();
    }

    @Test
    void aProtectedPageSendsAnonymousVisitorsToTheLoginPageAndBackAfterLogin() throws Exception {
        Client client = new Client();
        Reply denied = client.get("/private");
        assertThat(denied.status()).isEqualTo(302);
        assertThat(denied.location()).endsWith("/login");

        Reply login = client.login(SecureApplication.USER, SecureApplication.PASSWORD);
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.location()).endsWith("/private?continue");

        Reply page = client.get("/private?continue");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("hello ada").contains("ROLE_USER").contains("<p id=\"chirp-user\">ada</p>");
        assertThat(client.session()).doesNotContainKey("_saved_request");
    }

    @Test
    void requestsThatAreNotPagesAreNotWhereTheLoginReturnsTo() throws Exception {
        Client client = new Client();
        client.get("/private");
        // What a browser and scripts fetch on their own after the page that sent the visitor to log in.
        assertThat(client.get("/favicon.ico").status()).isEqualTo(302);
        assertThat(client.send(client.request("/private?xhr").header("X-Requested-With", "XMLHttpRequest").GET()).status())
                .isIn(302, 401, 403);
        assertThat(client.send(client.request("/private?json").header("Accept", "application/json").GET()).status())
                .isIn(302, 401, 403);
        assertThat(client.session()).containsEntry("_saved_request", "/private?continue");

        Reply login = client.login(SecureApplication.USER, SecureApplication.PASSWORD);
        assertThat(login.location()).endsWith("/private?continue");
    }

    @Test
    void theLoginIsStoredAsPlainJsonThatChirpReads() throws Exception {
        Client client = new Client();
        client.get("/login");
        client.login(SecureApplication.USER, SecureApplication.PASSWORD);

        Map<String, Object> session = client.session();
        assertThat(session.keySet()).containsOnly("user_id", "_authentication");
        assertThat(session).containsEntry("user_id", "ada");
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) session.get("_authentication");
        @SuppressWarnings("unchecked")
        List<Object> authorities = (List<Object>) stored.get("authorities");
        assertThat(stored).containsEntry("name", "ada").containsEntry("type", "password");
        // Spring Security 7 adds a FACTOR_PASSWORD authority to a password login; 6.5 does not.
        assertThat(authorities).contains("ROLE_USER")
                .allMatch(a -> a.equals("ROLE_USER") || a.equals("FACTOR_PASSWORD"));
        pythonReadsTheUserId(client.cookie, "ada");
    }

    @Test
    void aLoginRegeneratesSoTheCookieFromBeforeLoginStaysAnonymous() throws Exception {
        Client client = new Client();
        client.get("/private");
        String preLogin = client.cookie;
        assertThat(preLogin).as("the visit before login already has a chirp cookie").isNotNull();

        client.login(SecureApplication.USER, SecureApplication.PASSWORD);
        assertThat(client.cookie).isNotEqualTo(preLogin);
        assertThat(client.get("/private").status()).isEqualTo(200);

        Client attacker = new Client();
        attacker.cookie = preLogin;
        Reply replayed = attacker.get("/private");
        assertThat(replayed.status()).isEqualTo(302);
        assertThat(replayed.location()).endsWith("/login");
    }

    @Test
    void keepOnLoginCarriesTheCartAcrossTheLoginAndNothingElse() throws Exception {
        Client client = new Client();
        assertThat(client.get("/fill-cart").body()).isEqualTo("filled");
        String preLogin = client.cookie;

        client.login(SecureApplication.USER, SecureApplication.PASSWORD);

        assertThat(client.cookie).isNotEqualTo(preLogin);
        assertThat(client.session()).containsEntry("cart", List.of("tea", "mug")).containsEntry("user_id", "ada")
                .doesNotContainKey("scratch");
    }

    @Test
    void keepOnLoginNamingAKeyChirpManagesFailsStartup() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SpringApplicationBuilder(SecureApplication.class)
                .properties("server.port=0", "chirp.sessions.secret=" + SECRET, "spring.main.banner-mode=off",
                        "logging.level.root=OFF", "chirp.sessions.spring-security.keep-on-login=cart,user_id")
                .run().close())
                .hasStackTraceContaining("chirp.sessions.spring-security.keep-on-login must list the application's "
                        + "own session keys: [cart, user_id]; chirp and Spring Security manage user_id at login");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutAnHttpSession() throws Exception {
        Client client = new Client();
        Reply refused = client.login(SecureApplication.USER, "wrong");
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).endsWith("/login?error");
        assertThat(client.get("/login?error").body()).contains("Invalid credentials");
        assertThat(client.get("/private").status()).isEqualTo(302);
    }

    @Test
    void authoritiesComeBackFromTheCookie() throws Exception {
        Client client = new Client();
        client.login(SecureApplication.USER, SecureApplication.PASSWORD);
        assertThat(client.get("/admin").status()).isEqualTo(403);
        assertThat(client.get("/private").status()).isEqualTo(200);
    }

    @Test
    void csrfProtectionRefusesAPostWithoutTheTokenAndAcceptsItWithTheToken() throws Exception {
        Client client = new Client();
        client.login(SecureApplication.USER, SecureApplication.PASSWORD);
        String token = client.csrfTokenFrom("/private");

        assertThat(client.post("/transfer", "").status()).isEqualTo(403);
        assertThat(client.post("/transfer", "_csrf=not-the-token").status()).isEqualTo(403);
        Reply accepted = client.post("/transfer", "_csrf=" + encode(token));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("transferred for ada");
        assertThat(client.session()).containsKey("_csrf_token");
    }

    @Test
    void aLoginWithoutTheCsrfTokenIsRefused() throws Exception {
        Client client = new Client();
        client.get("/login");
        Reply refused = client.post("/login", "username=ada&password=lovelace");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(client.get("/private").status()).isEqualTo(302);
    }

    @Test
    void logoutEndsTheSessionWithADeletionCookie() throws Exception {
        Client client = new Client();
        client.login(SecureApplication.USER, SecureApplication.PASSWORD);
        String token = client.csrfTokenFrom("/private");

        Reply logout = client.post("/logout", "_csrf=" + encode(token));
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.location()).endsWith("/login?logout");
        assertThat(logout.sessionCookies()).hasSize(1);
        assertThat(logout.sessionCookies().get(0)).as("a deletion cookie").contains("Max-Age=0");
        assertThat(client.cookie).isNull();
        assertThat(client.get("/private").status()).isEqualTo(302);
        // A stateless cookie cannot be revoked: the cookie from before logout still verifies until it
        // expires (the Redis store and session versions revoke it). Logout ends the browser's session.
    }

    @Test
    void aUserIdRewrittenWithoutALoginDoesNotInheritTheLogin() throws Exception {
        Client client = new Client();
        client.login(SecureApplication.USER, SecureApplication.PASSWORD);
        assertThat(client.get("/rename").status()).isEqualTo(200);
        assertThat(client.session()).containsEntry("user_id", "eve");
        assertThat(client.get("/private").status()).isEqualTo(302);
    }

    @Test
    void aChirpLoginWithoutSpringSecurityAuthoritiesIsNotASpringSecurityLogin() throws Exception {
        Client client = new Client();
        client.get("/chirp-login");
        assertThat(client.session()).isEqualTo(Map.of("user_id", "bob"));
        assertThat(client.get("/private").status()).isEqualTo(302);
    }

    @Test
    void rememberMeLogsInANewBrowserSessionAndStoresItAsARememberMeLogin() throws Exception {
        Client client = new Client();
        String token = client.csrfTokenFrom("/login");
        Reply login = client.post("/login", "username=ada&password=lovelace&remember-me=on&_csrf=" + encode(token));
        assertThat(login.status()).isEqualTo(302);
        String rememberMe = login.response().headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("remember-me=")).map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();

        Client returning = new Client();
        returning.extraCookie = rememberMe;
        Reply page = returning.get("/private");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("hello ada");
        Map<String, Object> session = returning.session();
        assertThat(session).containsEntry("user_id", "ada");
        assertThat(session.get("_authentication")).asString().contains("type=remember-me");

        returning.extraCookie = null;
        assertThat(returning.get("/private").status()).as("the chirp session alone keeps the login").isEqualTo(200);
    }

    @Test
    void aPublicPageSetsNoCookieButVariesOnIt() throws Exception {
        Reply home = new Client().get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.sessionCookies()).isEmpty();
        // Spring MVC reads the user for every request it handles; the page may depend on the cookie.
        assertThat(home.response().headers().allValues("vary").toString()).contains("Cookie");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Python's itsdangerous, the reference for chirp's cookie, reads the user id; skipped without it. */
    private static void pythonReadsTheUserId(String cookie, String expected) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        boolean available = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import itsdangerous")
                .redirectErrorStream(true).start().waitFor() == 0;
        Assumptions.assumeTrue(available, "python3 with itsdangerous is not installed: the Python cross-check is skipped");
        Process process = new ProcessBuilder(python.toString(), "-c",
                "import sys, itsdangerous; print(itsdangerous.URLSafeTimedSerializer(sys.argv[1]).loads(sys.argv[2], max_age=300)['user_id'])",
                SECRET, cookie).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as("python output: %s", out).isZero();
        assertThat(out).isEqualTo(expected);
    }

    /** One browser: follows no redirects, keeps the chirp cookie it was last given, refuses JSESSIONID. */
    static final class Client {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final URI server;
        String cookie;
        String extraCookie;

        /** A browser of this class's application. */
        Client() {
            this(base);
        }

        /** A browser of the application at {@code server}. */
        Client(URI server) {
            this.server = server;
        }

        Reply get(String path) throws IOException, InterruptedException {
            return send(request(path).GET());
        }

        Reply post(String path, String form) throws IOException, InterruptedException {
            return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        /** Fetches the login page for its CSRF token, then posts the form as a browser does. */
        Reply login(String username, String password) throws IOException, InterruptedException {
            String token = csrfTokenFrom("/login");
            return post("/login", "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(token));
        }

        String csrfTokenFrom(String path) throws IOException, InterruptedException {
            Reply page = get(path);
            assertThat(page.status()).as("GET %s", path).isEqualTo(200);
            Matcher matcher = CSRF_INPUT.matcher(page.body());
            assertThat(matcher.find()).as("a CSRF field on %s", path).isTrue();
            return matcher.group(1);
        }

        /** The session the jar's cookie carries, verified with the application's secret. */
        Map<String, Object> session() {
            assertThat(cookie).as("the chirp cookie").isNotNull();
            LoadResult loaded = SERIALIZER.loads(cookie);
            assertThat(loaded.isVerified()).as("cookie verifies: %s", loaded).isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Object> session = (Map<String, Object>) loaded.value();
            return session;
        }

        HttpRequest.Builder request(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30));
            String header = cookie == null ? extraCookie
                    : extraCookie == null ? COOKIE + "=" + cookie : COOKIE + "=" + cookie + "; " + extraCookie;
            return header == null ? b : b.header("Cookie", header);
        }

        Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
            Reply reply = new Reply(http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            assertThat(reply.response.headers().allValues("set-cookie"))
                    .as("Set-Cookie headers").noneMatch(c -> c.toUpperCase(java.util.Locale.ROOT).startsWith("JSESSIONID"));
            List<String> set = reply.sessionCookies();
            assertThat(set).as("Set-Cookie headers for %s", COOKIE).hasSizeLessThanOrEqualTo(1);
            if (!set.isEmpty()) {
                String value = set.get(0).substring(COOKIE.length() + 1, set.get(0).indexOf(';'));
                cookie = set.get(0).contains("Max-Age=0") ? null : value;
            }
            return reply;
        }
    }

    record Reply(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String location() {
            return response.headers().firstValue("location").orElse("");
        }

        List<String> sessionCookies() {
            return response.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
        }
    }
}
