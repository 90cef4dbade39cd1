package dev.chirp.sessions.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The container's output stream, with the session headers written just before a call that may commit
 * the response: flush, close, or a write that may fill the buffer or reach the declared length.
 */
final class CommitAwareOutputStream extends ServletOutputStream {

    private final ServletOutputStream delegate;
    private final RequestState state;
    private final HttpServletResponse response;

    CommitAwareOutputStream(ServletOutputStream delegate, RequestState state, HttpServletResponse response) {
        this.delegate = delegate;
        this.state = state;
        this.response = response;
    }

    /** The container's stream this one writes to. */
    ServletOutputStream delegate() {
        return delegate;
    }

    @Override
    public void write(int b) throws IOException {
        boolean watch = state.beforeWrite(response, 1);
        delegate.write(b);
        if (watch) {
            state.afterWrite(response, 1);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        boolean watch = state.beforeWrite(response, len);
        delegate.write(b, off, len);
        if (watch) {
            state.afterWrite(response, len);
        }
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
        int len = buffer.remaining();
        boolean watch = state.beforeWrite(response, len);
        delegate.write(buffer);
        if (watch) {
            state.afterWrite(response, len);
        }
    }

    @Override
    public void flush() throws IOException {
        state.beforeCommit(response);
        delegate.flush();
    }

    @Override
    public void close() throws IOException {
        state.beforeCommit(response);
        delegate.close();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        delegate.setWriteListener(listener);
    }
}
