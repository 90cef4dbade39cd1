package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON form of session data in Redis keeps the core's value types and refuses anything but an object. */
class SessionJsonTest {

    @Test
    void everyJsonValueComesBackWithTheSameJavaType() throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("s", "text \"quoted\" \u00e9 \uD83D\uDE00");
        data.put("i", 1);
        data.put("l", 5_000_000_000L);
        data.put("big", new BigInteger("-99999999999999999999999"));
        data.put("d", 2.5e-7);
        data.put("t", true);
        data.put("null", null);
        data.put("list", new ArrayList<>(Arrays.asList(1, "a", null, new ArrayList<>())));
        data.put("map", new LinkedHashMap<>(Map.of("k", new LinkedHashMap<>())));
        data.put("__created_at", 1_790_000_000);

        Map<String, Object> back = SessionJson.read(SessionJson.write(data));
        assertThat(back).isEqualTo(data).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(back.keySet())).isEqualTo(List.copyOf(data.keySet()));
        assertThat(back.get("i")).isInstanceOf(Integer.class);
        assertThat(back.get("l")).isInstanceOf(Long.class);
        assertThat(back.get("big")).isInstanceOf(BigInteger.class);
        assertThat(back.get("d")).isInstanceOf(Double.class);
        assertThat(back.get("list")).isInstanceOf(ArrayList.class);
        // As in the core (and Python): an integer comes back in the smallest type that holds it.
        assertThat(SessionJson.read(SessionJson.write(Map.of("x", 7L))).get("x")).isEqualTo(7);
    }

    @Test
    void nanAndInfinityFromPythonSurviveTheRoundTrip() throws IOException {
        Map<String, Object> back = SessionJson.read("{\"a\":NaN,\"b\":-Infinity}");
        assertThat(SessionJson.read(SessionJson.write(back))).isEqualTo(back);
        assertThat((Double) back.get("a")).isNaN();
    }

    @Test
    void onlyOneWholeJsonObjectIsAccepted() {
        for (String bad : new String[] {"", "[]", "42", "\"s\"", "{\"a\":1} x", "{\"a\":", "{\"a\":[1,}"}) {
            assertThatThrownBy(() -> SessionJson.read(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    void writingANonJsonValueIsRefused() {
        assertThatThrownBy(() -> SessionJson.write(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("session value must be a JSON value: java.lang.Object; ");
    }
}
