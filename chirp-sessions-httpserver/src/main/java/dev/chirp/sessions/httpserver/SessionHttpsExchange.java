package dev.chirp.sessions.httpserver;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import javax.net.ssl.SSLSession;

/**
 * An {@link HttpsExchange} that writes the session headers inside {@code sendResponseHeaders}; a
 * separate class so that handlers still see an {@code HttpsExchange} with its SSL session.
 */
final class SessionHttpsExchange extends HttpsExchange {

    private final HttpsExchange delegate;
    private final ExchangeState state;

    SessionHttpsExchange(HttpsExchange delegate, ExchangeState state) {
        this.delegate = delegate;
        this.state = state;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        state.sendResponseHeaders(delegate, rCode, responseLength);
    }

    @Override
    public Object getAttribute(String name) {
        // Answered here, not stored: the JDK keeps exchange attributes in the HttpContext, shared by
        // every exchange of the context at once.
        return SessionHttpFilter.ATTRIBUTE.equals(name) ? state.session() : delegate.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (!SessionHttpFilter.ATTRIBUTE.equals(name)) {
            delegate.setAttribute(name, value);
        }
    }

    @Override
    public void close() {
        delegate.close();
        state.finish();
    }

    @Override
    public Headers getRequestHeaders() {
        return delegate.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return delegate.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
        return delegate.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return delegate.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return delegate.getHttpContext();
    }

    @Override
    public InputStream getRequestBody() {
        return delegate.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
        return state.responseBody(delegate);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return delegate.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return delegate.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return delegate.getProtocol();
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        delegate.setStreams(i, o);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return delegate.getPrincipal();
    }

    @Override
    public SSLSession getSSLSession() {
        return delegate.getSSLSession();
    }
}
