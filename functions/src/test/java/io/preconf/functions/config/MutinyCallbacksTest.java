package io.preconf.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.CallbackDecorator;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.infrastructure.MultiInterceptor;
import io.smallrye.mutiny.infrastructure.UniInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Once the functions have started, Mutiny runs callbacks as given; and what that removed is only
 * the context-propagation decorator, the one Mutiny extension on the classpath.
 */
@QuarkusTest
@QuarkusTestResource(LocalServers.class)
class MutinyCallbacksTest {
  @Test
  void callbacksAreNotWrappedOnceStarted() {
    Function<String, Integer> length = String::length;
    Runnable nothing = () -> {};

    assertThat(Infrastructure.decorate(length)).isSameAs(length);
    assertThat(Infrastructure.decorate(nothing)).isSameAs(nothing);
  }

  @Test
  void contextPropagationIsTheOnlyMutinyExtensionThatWasCleared() {
    List<String> found = new ArrayList<>();
    for (Class<?> kind :
        List.of(CallbackDecorator.class, UniInterceptor.class, MultiInterceptor.class)) {
      ServiceLoader.load(kind).stream().forEach(p -> found.add(p.type().getName()));
    }

    assertThat(found)
        .containsExactly("io.smallrye.mutiny.context.DefaultContextPropagationInterceptor");
  }
}
