package dev.chirp.sessions.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * The container's writer, with the session headers written just before a call that may commit the
 * response. Characters are counted as the most bytes they can encode to (a {@code char} is up to three
 * bytes in UTF-8), so the headers go out early rather than late.
 *
 * <p>Wrapped in a {@link PrintWriter} by {@link #printWriter}: every {@code PrintWriter} method,
 * {@code println} included, reaches the container only through this class.
 */
final class CommitAwareWriter extends Writer {

    private final PrintWriter delegate;
    private final RequestState state;
    private final HttpServletResponse response;
    private final int encoding;

    private static final int SINGLE_BYTE = 1;
    private static final int UTF_8 = 2;
    private static final int WIDE = 4;

    private CommitAwareWriter(PrintWriter delegate, RequestState state, HttpServletResponse response,
            String charset) {
        super(delegate);
        this.delegate = delegate;
        this.state = state;
        this.response = response;
        this.encoding = encodingOf(charset);
    }

    static PrintWriter printWriter(PrintWriter delegate, RequestState state, HttpServletResponse response,
            String charset) {
        return new PrintWriter(new CommitAwareWriter(delegate, state, response, charset)) {
            @Override
            public boolean checkError() {
                return super.checkError() || delegate.checkError();
            }
        };
    }

    @Override
    public void write(int c) {
        long n = bytes((char) c);
        boolean watch = state.beforeWrite(response, n);
        delegate.write(c);
        if (watch) {
            state.afterWrite(response, n);
        }
    }

    @Override
    public void write(char[] chars, int off, int len) {
        long n = bytes(chars, off, len);
        boolean watch = state.beforeWrite(response, n);
        delegate.write(chars, off, len);
        if (watch) {
            state.afterWrite(response, n);
        }
    }

    @Override
    public void write(String s, int off, int len) {
        long n = bytes(s, off, len);
        boolean watch = state.beforeWrite(response, n);
        delegate.write(s, off, len);
        if (watch) {
            state.afterWrite(response, n);
        }
    }

    @Override
    public void flush() {
        state.beforeCommit(response);
        delegate.flush();
    }

    @Override
    public void close() {
        state.beforeCommit(response);
        delegate.close();
    }

    private long bytes(char c) {
        if (encoding == UTF_8) {
            return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return encoding;
    }

    private long bytes(char[] chars, int off, int len) {
        if (encoding != UTF_8) {
            return (long) len * encoding;
        }
        long n = 0;
        for (int i = off, end = off + len; i < end; i++) {
            n += bytes(chars[i]);
        }
        return n;
    }

    private long bytes(String s, int off, int len) {
        if (encoding != UTF_8) {
            return (long) len * encoding;
        }
        long n = 0;
        for (int i = off, end = off + len; i < end; i++) {
            n += bytes(s.charAt(i));
        }
        return n;
    }

    private static int encodingOf(String charset) {
        if (charset == null) {
            return UTF_8; // unknown: UTF-8 counts at least as high as ISO-8859-1, the Servlet default
        }
        try {
            Charset cs = Charset.forName(charset);
            if (cs.equals(StandardCharsets.UTF_8)) {
                return UTF_8;
            }
            if (cs.equals(StandardCharsets.ISO_8859_1) || cs.equals(StandardCharsets.US_ASCII)) {
                return SINGLE_BYTE;
            }
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            // The container fails getWriter() on such a charset first; count high in any case.
        }
        return WIDE;
    }
}
