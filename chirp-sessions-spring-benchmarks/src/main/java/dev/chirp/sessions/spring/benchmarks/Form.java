package dev.chirp.sessions.spring.benchmarks;

import java.util.Locale;

/**
 * One way the benchmark application keeps its sessions, selected by the Spring profile of the same name.
 */
public enum Form {

    /** chirp-sessions with its default store: the whole session in the signed cookie, nothing in Redis. */
    CHIRP_COOKIE("a", "chirp-cookie", "chirp_session", "chirp-sessions, cookie store"),

    /** chirp-sessions with {@code RedisSessionStore}: the cookie carries a signed id, the data is in Redis. */
    CHIRP_REDIS("b", "chirp-redis", "chirp_session", "chirp-sessions, Redis store"),

    /** Spring Session Data Redis as Spring Boot auto-configures it ({@code RedisSessionRepository}). */
    SPRING_SESSION("c", "spring-session", "SESSION", "Spring Session Data Redis");

    private final String letter;
    private final String profile;
    private final String cookieName;
    private final String title;

    Form(String letter, String profile, String cookieName, String title) {
        this.letter = letter;
        this.profile = profile;
        this.cookieName = cookieName;
        this.title = title;
    }

    /** The letter the issue gives this form: a, b or c. */
    public String letter() {
        return letter;
    }

    /** The Spring profile that selects this form. */
    public String profile() {
        return profile;
    }

    /** The name of the cookie that carries this form's session. */
    public String cookieName() {
        return cookieName;
    }

    /** What this form is, for tables. */
    public String title() {
        return title;
    }

    /**
     * The form with this profile name or letter.
     *
     * @throws IllegalArgumentException if none has it
     */
    public static Form of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Form form : values()) {
            if (form.profile.equals(wanted) || form.letter.equals(wanted)) {
                return form;
            }
        }
        throw new IllegalArgumentException("form must be one of a, b, c, chirp-cookie, chirp-redis, "
                + "spring-session: " + name + "; pass --forms a,b,c");
    }
}
