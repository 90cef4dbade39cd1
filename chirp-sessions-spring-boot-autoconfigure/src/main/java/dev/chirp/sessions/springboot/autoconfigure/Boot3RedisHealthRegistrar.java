package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.redis.RedisSessionStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers the Redis store's health indicator on Spring Boot 3, whose {@code HealthIndicator} lives in
 * {@code org.springframework.boot.actuate.health}, a package this module (compiled against Boot 4)
 * cannot name: the indicator is a proxy of that interface, built by reflection, sharing
 * {@link RedisStoreHealth} with the Boot 4 indicator. The bean definition carries the interface as its
 * type, so Actuator finds it before it is created.
 */
class Boot3RedisHealthRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware {

    static final String HEALTH_INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";
    private static final String HEALTH_BUILDER = "org.springframework.boot.actuate.health.Health$Builder";

    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (registry.containsBeanDefinition(ChirpSessionsHealthAutoConfiguration.BEAN_NAME)) {
            return; // the application's own indicator of that name wins
        }
        // A registrar runs even where the conditions of the class importing it were not met (an
        // application on the cookie store): register nothing unless there is a Redis store to watch.
        if (!(registry instanceof ListableBeanFactory beans)
                || beans.getBeanNamesForType(RedisSessionStore.class, true, false).length == 0) {
            return;
        }
        ClassLoader loader = ClassUtils.getDefaultClassLoader();
        Class<?> indicatorType = ClassUtils.resolveClassName(HEALTH_INDICATOR, loader);
        RootBeanDefinition definition = new RootBeanDefinition(indicatorType);
        definition.setInstanceSupplier(() -> indicator(indicatorType, loader));
        registry.registerBeanDefinition(ChirpSessionsHealthAutoConfiguration.BEAN_NAME, definition);
    }

    private Object indicator(Class<?> indicatorType, ClassLoader loader) {
        RedisStoreHealth health = new RedisStoreHealth(beanFactory.getBean(RedisSessionStore.class));
        Class<?> builderType = ClassUtils.resolveClassName(HEALTH_BUILDER, loader);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("health") && method.getParameterCount() == 0) {
                return build(builderType, health.check());
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args); // getHealth(boolean)
            }
            return objectMethod(proxy, method, args);
        };
        return Proxy.newProxyInstance(loader, new Class<?>[] {indicatorType}, handler);
    }

    private static Object build(Class<?> builderType, RedisStoreHealth.Result result) throws ReflectiveOperationException {
        Object builder = builderType.getConstructor().newInstance();
        builder = builderType.getMethod(result.up() ? "up" : "down").invoke(builder);
        builder = builderType.getMethod("withDetails", Map.class).invoke(builder, result.details());
        return builderType.getMethod("build").invoke(builder);
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "RedisSessionStoreHealthIndicator (Spring Boot 3)";
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
