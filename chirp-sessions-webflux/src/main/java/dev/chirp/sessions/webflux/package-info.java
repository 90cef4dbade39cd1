/**
 * chirp sessions for Spring WebFlux: {@link dev.chirp.sessions.webflux.WebFluxSessions}, the
 * {@code WebSessionManager} whose {@code WebSession} is the signed chirp session, and
 * {@link dev.chirp.sessions.webflux.SessionCsrfWebFilter}, chirp's CSRF check.
 */
package dev.chirp.sessions.webflux;
