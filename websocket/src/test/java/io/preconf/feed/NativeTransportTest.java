package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The feed node's Vert.x, whose event loops carry the subscribers' sockets and the Redis and
 * PostgreSQL clients, runs on Netty's epoll transport on this platform (Linux, as CI and the
 * deployed containers): the jar for the platform is on the class path, its library loads, and the
 * setting asks for it.
 */
@QuarkusTest
@WithTestResource(FeedServers.class)
class NativeTransportTest {
  @Inject Vertx vertx;

  @Test
  void theEventLoopsRunOnEpoll() {
    assertThat(Epoll.isAvailable())
        .as("epoll's native library loads here: %s", Epoll.unavailabilityCause())
        .isTrue();
    assertThat(vertx.isNativeTransportEnabled()).isTrue();
  }
}
