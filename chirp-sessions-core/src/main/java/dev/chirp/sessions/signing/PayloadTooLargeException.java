package dev.chirp.sessions.signing;

/**
 * Thrown by {@link TimedSerializer#dumps} when a value's JSON is over the serializer's
 * {@link TimedSerializer.Builder#maxPayloadBytes} limit: the same serializer would refuse to read it
 * back, so it is not signed. The message gives the sizes, never the content.
 */
public class PayloadTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;

    /** Creates the exception for JSON of {@code size} bytes over a limit of {@code limit} bytes. */
    public PayloadTooLargeException(int size, int limit) {
        super("the value's JSON must be at most " + limit + " bytes: " + size
                + " bytes; sign a smaller value, or raise maxPayloadBytes if every reader accepts it");
        this.size = size;
        this.limit = limit;
    }

    /** The size of the refused JSON, in bytes. */
    public int size() {
        return size;
    }

    /** The limit in bytes. */
    public int limit() {
        return limit;
    }
}
