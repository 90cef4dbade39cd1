/**
 * Spring Security on chirp sessions: the login, the CSRF token and the saved request kept in the signed
 * chirp session as plain JSON, so Spring Security never creates an {@code HttpSession}. Start with
 * {@link dev.chirp.sessions.springsecurity.SessionSecurityCustomizer}; for reactive (WebFlux) Spring Security,
 * {@link dev.chirp.sessions.springsecurity.SessionServerSecurityCustomizer}.
 */
package dev.chirp.sessions.springsecurity;
