package dev.chirp.sessions.cli;

import java.util.List;
import java.util.Map;

/** Names JSON types for the command's messages; the JSON itself is read and written by core's SessionJson. */
final class JsonText {

    private JsonText() {
    }

    /** A short name of the JSON type of a value, for messages. */
    static String typeName(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Map) {
            return "an object";
        } else if (value instanceof List) {
            return "an array";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }
}
