package dev.chirp.sessions.springboot.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers a {@code JettyServerCustomizer} that turns on {@link HttpConfiguration#setHeaderCacheCaseSensitive}
 * for every connector. Boot 4 ({@code org.springframework.boot.jetty}) and Boot 3.5
 * ({@code org.springframework.boot.web.embedded.jetty}) name the same one-method interface in different
 * packages, and this module is compiled against Boot 4 without its Jetty module: the bean is a proxy of
 * whichever interface the application has, typed as that interface so Boot's Jetty factory collects it.
 */
class JettyHeaderCacheRegistrar implements ImportBeanDefinitionRegistrar {

    static final List<String> CUSTOMIZERS = List.of("org.springframework.boot.jetty.JettyServerCustomizer",
            "org.springframework.boot.web.embedded.jetty.JettyServerCustomizer");

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (registry.containsBeanDefinition(ChirpSessionsJettyAutoConfiguration.BEAN_NAME)) {
            return;
        }
        ClassLoader loader = ClassUtils.getDefaultClassLoader();
        for (String name : CUSTOMIZERS) {
            if (ClassUtils.isPresent(name, loader)) {
                Class<?> customizerType = ClassUtils.resolveClassName(name, loader);
                RootBeanDefinition definition = new RootBeanDefinition(customizerType);
                definition.setInstanceSupplier(() -> customizer(customizerType, loader));
                registry.registerBeanDefinition(ChirpSessionsJettyAutoConfiguration.BEAN_NAME, definition);
                return;
            }
        }
    }

    /** Sets every connector's HTTP configuration to compare cached header values exactly. */
    static void caseSensitiveHeaderCache(Server server) {
        for (Connector connector : server.getConnectors()) {
            for (ConnectionFactory factory : connector.getConnectionFactories()) {
                if (factory instanceof HttpConfiguration.ConnectionFactory http) {
                    http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
                }
            }
        }
    }

    private static Object customizer(Class<?> customizerType, ClassLoader loader) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "customize" -> {
                caseSensitiveHeaderCache((Server) args[0]);
                yield null;
            }
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "chirp-sessions: case-sensitive Jetty header cache";
            default -> throw new UnsupportedOperationException(method.toString());
        };
        return Proxy.newProxyInstance(loader, new Class<?>[] {customizerType}, handler);
    }
}
