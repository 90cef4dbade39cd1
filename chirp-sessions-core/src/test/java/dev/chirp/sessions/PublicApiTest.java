package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the public API of the exported packages to the checked-in listing {@code public-api.txt}, so that
 * an API change is always a deliberate, reviewed diff. When a change is intended, copy
 * {@code target/public-api.txt} over {@code src/test/resources/public-api.txt}.
 */
class PublicApiTest {

    private static final List<String> EXPORTED = List.of("dev.chirp.sessions", "dev.chirp.sessions.json", "dev.chirp.sessions.signing");

    @Test
    void publicApiMatchesTheCheckedInListing() throws Exception {
        String actual = listing();
        Files.writeString(Paths.get("target", "public-api.txt"), actual, StandardCharsets.UTF_8);
        String expected = new String(PublicApiTest.class.getResourceAsStream("/public-api.txt").readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(actual)
                .as("the public API changed; if intended, copy target/public-api.txt to src/test/resources/")
                .isEqualTo(expected);
    }

    private static String listing() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Paths.get(Session.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> lines = new ArrayList<>();
        for (String pkg : EXPORTED) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                List<String> names = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".class")).sorted().collect(Collectors.toList());
                for (String name : names) {
                    Class<?> type = Class.forName(pkg + "." + name.substring(0, name.length() - 6));
                    if (isVisible(type.getModifiers()) && (type.getEnclosingClass() == null
                            || isVisible(type.getEnclosingClass().getModifiers()))) {
                        describe(type, lines);
                    }
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static void describe(Class<?> type, List<String> lines) {
        lines.add(Modifier.toString(type.getModifiers() & ~Modifier.STATIC & ~Modifier.ABSTRACT & ~Modifier.INTERFACE)
                + (type.isInterface() ? " interface " : type.isEnum() ? " enum " : type.isRecord() ? " record " : " class ")
                + type.getName().replace('$', '.')
                + (type.getSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum()
                        && !type.isRecord() ? " extends " + type.getSuperclass().getName() : "")
                + (type.getInterfaces().length > 0 ? " implements " + Arrays.stream(type.getInterfaces())
                        .map(Class::getName).collect(Collectors.joining(", ")) : ""));
        List<String> members = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (isVisible(f.getModifiers()) && !f.isSynthetic()) {
                members.add("  field " + f.getType().getTypeName() + " " + f.getName());
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (isVisible(c.getModifiers()) && !c.isSynthetic()) {
                members.add("  new(" + params(c.getGenericParameterTypes()) + ")");
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                members.add("  " + (Modifier.isStatic(m.getModifiers()) ? "static " : "")
                        + m.getGenericReturnType().getTypeName() + " " + m.getName()
                        + "(" + params(m.getGenericParameterTypes()) + ")");
            }
        }
        members.sort(null);
        lines.addAll(members);
    }

    private static String params(java.lang.reflect.Type[] types) {
        return Arrays.stream(types).map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }
}
