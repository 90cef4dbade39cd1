package dev.chirp.sessions.json;

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

        Object back = SessionJson.read(SessionJson.write(data));
        assertThat(back).isEqualTo(data).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(((Map<?, ?>) back).keySet())).isEqualTo(List.copyOf(data.keySet()));
        Map<?, ?> map = (Map<?, ?>) back;
        assertThat(map.get("i")).isInstanceOf(Integer.class);
        assertThat(map.get("l")).isInstanceOf(Long.class);
        assertThat(map.get("big")).isInstanceOf(BigInteger.class);
        assertThat(map.get("d")).isInstanceOf(Double.class);
        assertThat(map.get("list")).isInstanceOf(ArrayList.class);
        assertThat(SessionJson.read(SessionJson.write(Map.of("x", 7L)))).isEqualTo(Map.of("x", 7));
    }

    @Test
    void writesCompactJsonWithRawUtf8() {
        assertThat(SessionJson.write(Map.of("name", "Zoë 🍪"))).isEqualTo("{\"name\":\"Zoë 🍪\"}");
    }

    @Test
    void nanAndInfinityFromPythonSurviveTheRoundTrip() throws IOException {
        Object back = SessionJson.read("{\"a\":NaN,\"b\":-Infinity}");
        assertThat(SessionJson.write(back)).isEqualTo("{\"a\":NaN,\"b\":-Infinity}");
    }

    @Test
    void badJsonGetsAOneLineMessageWithItsPosition() {
        assertThatThrownBy(() -> SessionJson.read("{\"a\":\n  [1,}"))
                .isInstanceOf(IOException.class)
                .hasMessageNotContaining("\n")
                .hasMessageEndingWith("at line 2, column 6");
        assertThatThrownBy(() -> SessionJson.read("")).hasMessage("the input is empty");
        assertThatThrownBy(() -> SessionJson.read("{} {}"))
                .hasMessageStartingWith("more than one JSON value (trailing data at line 1");
    }

    @Test
    void writingANonJsonValueIsRefusedWithItsPath() {
        assertThatThrownBy(() -> SessionJson.write(Map.of("x", List.of(new Object()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object at .x[0]");
    }
}
