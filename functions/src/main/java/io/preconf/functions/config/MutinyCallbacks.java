package io.preconf.functions.config;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Mutiny's callbacks run as written, not wrapped for context propagation. The context-propagation
 * extension (which Quarkus's Mutiny extension brings along) registers a Mutiny callback decorator
 * that wraps every operator's function when the chain is built and, on every call, captures and
 * restores the CDI request context and the JTA transaction around it: 4 to 8 % of the engine's CPU,
 * on every step of every preconfirm. Nothing here needs it: the functions read what they need of a
 * request (its HTTP exchange, client, overload marker) while they are called, the Redis and
 * PostgreSQL clients carry their state on the Vert.x context, not in thread-locals, and no code
 * runs a JTA transaction across a reactive chain. It is the only decorator or interceptor Mutiny
 * finds in this process ({@code MutinyCallbacksTest} fails when another one appears), so clearing
 * them removes exactly it.
 */
@ApplicationScoped
public class MutinyCallbacks {
  void undecorated(@Observes StartupEvent started) {
    Infrastructure.clearInterceptors();
  }
}
