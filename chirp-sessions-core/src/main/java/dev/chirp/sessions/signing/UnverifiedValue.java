package dev.chirp.sessions.signing;

import java.time.Instant;

/**
 * What {@link TimedSerializer#loadsUnsafe} could read from a value <em>without</em> checking its
 * signature: for debugging only, never for trusting the content.
 *
 * @param value        the decoded JSON value, or {@code null} if it could not be decoded (see {@code problem})
 * @param signedAt     the signing time the value claims, or {@code null} if unreadable
 * @param compressed   whether the payload uses the compressed ({@code .}) form
 * @param payloadBytes the size of the JSON payload after base64 decoding and inflating
 * @param problem      why the value could not be fully decoded, or {@code null}
 */
public record UnverifiedValue(Object value, Instant signedAt, boolean compressed, int payloadBytes, String problem) {
}
