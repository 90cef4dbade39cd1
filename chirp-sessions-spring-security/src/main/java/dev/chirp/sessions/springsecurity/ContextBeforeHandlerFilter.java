package dev.chirp.sessions.springsecurity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.GenericFilterBean;

/**
 * Reads the security context, and so the chirp session, at the end of Spring Security's chain, before the
 * handler runs. Spring Security reads it lazily, and on a page open to everyone nothing in the chain asks;
 * but Spring MVC asks for the user's name after the response is complete (for its request-handled event),
 * which would read the session too late to send {@code Vary: Cookie} and log a warning on every such
 * request. Reading it here costs one cookie verification that would happen anyway.
 */
final class ContextBeforeHandlerFilter extends GenericFilterBean {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        chain.doFilter(request, response);
    }
}
