package dev.chirp.sessions.starterapp;

import dev.chirp.sessions.springboot.autoconfigure.ChirpSessionsProperties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.json.SessionJson;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata that the processor generates (what IDEs complete and document) lists every
 * {@code chirp.sessions.*} property, with its type and a description.
 */
class ConfigurationMetadataTest {

    @Test
    void generatedMetadataListsEveryPropertyWithADescription() throws Exception {
        Map<String, Map<String, Object>> listed = chirpProperties();

        // Every property Boot binds is listed; the listing may hold more (hand-written metadata for
        // properties read through @ConditionalOnProperty, such as chirp.sessions.spring-security.enabled).
        assertThat(listed.keySet()).containsAll(new TreeSet<>(boundProperties("chirp.sessions", ChirpSessionsProperties.class)));
        assertThat(listed.values()).allSatisfy(property -> {
            assertThat(property.get("description")).as("description of " + property.get("name"))
                    .isInstanceOf(String.class).asString().isNotBlank();
            assertThat(property.get("type")).as("type of " + property.get("name")).isNotNull();
        });
    }

    @Test
    void metadataUsesBootTypesAndShowsDefaults() throws Exception {
        Map<String, Map<String, Object>> listed = chirpProperties();

        assertThat(listed.get("chirp.sessions.max-age").get("type")).isEqualTo("java.time.Duration");
        assertThat(listed.get("chirp.sessions.max-cookie-size").get("type"))
                .isEqualTo("org.springframework.util.unit.DataSize");
        assertThat(listed.get("chirp.sessions.format").get("defaultValue")).isEqualTo("chirp");
        assertThat(listed.get("chirp.sessions.same-site").get("defaultValue")).isEqualTo("lax");
        assertThat(listed.get("chirp.sessions.store").get("defaultValue")).isEqualTo("cookie");
    }

    /** Every property of the metadata file that this module generated, by name. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> chirpProperties() throws IOException {
        Map<String, Map<String, Object>> properties = new TreeMap<>();
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                Map<String, Object> metadata = (Map<String, Object>) SessionJson.read(
                        new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
                    String name = (String) property.get("name");
                    if (name.startsWith("chirp.sessions.")) {
                        properties.put(name, property);
                    }
                }
            }
        }
        assertThat(properties).as("chirp.sessions.* metadata on the class path").isNotEmpty();
        return properties;
    }

    /** The names Boot binds for {@code type}: every writable property, and the properties of nested groups. */
    private static List<String> boundProperties(String prefix, Class<?> type) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (PropertyDescriptor descriptor : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
            String name = prefix + "." + dashed(descriptor.getName());
            if (descriptor.getWriteMethod() != null) {
                names.add(name);
            } else if (descriptor.getPropertyType().getEnclosingClass() == ChirpSessionsProperties.class
                    && !descriptor.getPropertyType().isEnum()) {
                names.addAll(boundProperties(name, descriptor.getPropertyType()));
            }
        }
        return names;
    }

    private static String dashed(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
