package dev.chirp.sessions.httpserver;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The exchange's response body stream, telling the exchange's state when it is closed: closing it ends
 * the exchange as {@code HttpExchange.close()} does, and a handler may use either.
 */
final class ResponseBody extends OutputStream {

    private final OutputStream delegate;
    private final ExchangeState state;

    ResponseBody(OutputStream delegate, ExchangeState state) {
        this.delegate = delegate;
        this.state = state;
    }

    OutputStream delegate() {
        return delegate;
    }

    @Override
    public void write(int b) throws IOException {
        delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        delegate.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        delegate.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            delegate.close();
        } finally {
            state.finish();
        }
    }
}
