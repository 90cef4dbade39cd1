/**
 * Spring Boot auto-configuration for chirp-sessions-spring-security.
 */
package dev.chirp.sessions.springsecurity.autoconfigure;
