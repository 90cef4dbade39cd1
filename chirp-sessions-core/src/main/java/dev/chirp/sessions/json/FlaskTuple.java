package dev.chirp.sessions.json;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A Python tuple in a Flask-profile session: an immutable list that Flask's tagged JSON writes as
 * {@code {" t": [...]}}, so that Flask reads a {@code tuple} back rather than a {@code list}. Reading a
 * Flask cookie gives one for every tuple (for example each {@code _flashes} entry); it equals any
 * {@link List} with the same items. Items may be {@code null}.
 */
public final class FlaskTuple extends AbstractList<Object> implements RandomAccess {

    private final Object[] items;

    private FlaskTuple(Object[] items) {
        this.items = items;
    }

    /** A tuple of {@code items}, in order. */
    public static FlaskTuple of(Object... items) {
        return new FlaskTuple(items.clone());
    }

    /** A tuple of the items of {@code list}, in order. */
    public static FlaskTuple copyOf(List<?> list) {
        return list instanceof FlaskTuple ? (FlaskTuple) list : new FlaskTuple(list.toArray());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /** The items in Python's tuple notation, such as {@code ('message', 'Saved')}; for debugging. */
    @Override
    public String toString() {
        return "(" + String.join(", ", Arrays.stream(items).map(String::valueOf).toArray(String[]::new))
                + (items.length == 1 ? ",)" : ")");
    }
}
