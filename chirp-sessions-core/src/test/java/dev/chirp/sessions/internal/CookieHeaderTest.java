package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookieHeaderTest {

    @Test
    void findsTheNamedCookieAmongOthers() {
        assertThat(CookieHeader.values(List.of("a=1; chirp_session=abc.def.ghi; b=2"), "chirp_session"))
                .containsExactly("abc.def.ghi");
    }

    @Test
    void returnsEveryValueOfARepeatedNameInOrder() {
        assertThat(CookieHeader.values(List.of("s=one; s=two", "s=three"), "s")).containsExactly("one", "two", "three");
    }

    @Test
    void stripsQuotesAndSpaces() {
        assertThat(CookieHeader.values(List.of("  s = \"v.a.l\" ;x=1"), "s")).containsExactly("v.a.l");
    }

    @Test
    void doesNotMatchOtherNamesWithTheSamePrefixOrSuffix() {
        assertThat(CookieHeader.values(List.of("xs=1; sx=2; s_=3"), "s")).isEmpty();
    }

    @Test
    void survivesJunk() {
        assertThat(CookieHeader.values(Arrays.asList(null, "", ";;;", "=", "s", "=s", "s=", "ü=ß; s=ok"), "s"))
                .containsExactly("", "ok");
        assertThat(CookieHeader.values(null, "s")).isEmpty();
    }
}
