package dev.chirp.sessions.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;

/** Short, credential-free descriptions of what went wrong between the store and Redis. */
final class RedisFailure {

    private static final int MAX_DETAIL = 200;

    private RedisFailure() {
    }

    /**
     * Says what happened in a few words: an error answer quotes Redis (such as {@code OOM ...} or
     * {@code NOAUTH ...}); anything else names the failure and Lettuce's short message.
     */
    static String summary(Throwable failure) {
        if (failure instanceof RedisCommandTimeoutException) {
            return "no answer in time";
        }
        if (failure instanceof RedisCommandExecutionException) {
            return "Redis answered with an error: " + shorten(withoutScriptFrame(failure.getMessage()));
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root == failure ? shorten(failure.getMessage())
                : shorten(failure.getMessage()) + " (" + root.getClass().getSimpleName() + ": "
                        + shorten(root.getMessage()) + ")";
        return failure.getClass().getSimpleName() + ": " + detail;
    }

    /**
     * The error a command inside a script got, without the frame Redis wraps it in
     * ({@code ERR Error running script (call to f_...): @user_script:3: ... -OOM ...}), so the message
     * reads the same whether the command ran alone or in a script.
     */
    private static String withoutScriptFrame(String message) {
        if (message == null || !message.startsWith("ERR Error running script")) {
            return message;
        }
        int inner = message.lastIndexOf(": -");
        return inner < 0 ? message : message.substring(inner + 3);
    }

    private static String shorten(String message) {
        if (message == null) {
            return "no detail";
        }
        String oneLine = message.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }
}
