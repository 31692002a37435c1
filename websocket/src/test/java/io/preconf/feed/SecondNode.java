package io.preconf.feed;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.preconf.core.types.ChainId;
import io.preconf.feed.hub.FeedMetrics;
import io.preconf.feed.hub.FeedNode;
import io.preconf.feed.hub.Frame;
import io.preconf.feed.hub.Handshake;
import io.preconf.feed.hub.Outlet;
import io.preconf.feed.hub.Subscriber;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisKeys;
import io.preconf.infra.redis.RedisStatusLog;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.impl.ContextInternal;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A second feed node in the test's JVM: its own {@link FeedNode} (own lane readers, own subscriber
 * set, own limits) over its own Redis client connection and its own reader objects, serving {@code
 * /feed} on a port of its own through a plain Vert.x HTTP server (instead of WebSockets Next) on a
 * Vert.x instance of its own. What it shares with the application's node is the Redis server and
 * the PostgreSQL database, as two processes would, and, being in one JVM, the application's
 * PostgreSQL client (gap fills and the senders of status changes).
 */
final class SecondNode implements AutoCloseable {
  final FeedNode node;
  private final Vertx vertx;
  private final Redis redis;
  private final HttpServer server;
  final int port;

  SecondNode(
      List<ChainId> chains,
      String redisUrl,
      String keyPrefix,
      Mutiny.SessionFactory sessions,
      PgCalls pg,
      FeedNode.Settings settings) {
    vertx = Vertx.vertx();
    redis =
        Redis.createClient(
            io.vertx.mutiny.core.Vertx.newInstance(vertx),
            new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(8));
    RedisCommands commands = new RedisCommands(redis, redisUrl, Duration.ofSeconds(2));
    RedisKeys keys = new RedisKeys(keyPrefix);
    node =
        new FeedNode(
            chains,
            FeedBeans.backends(
                vertx,
                commands,
                keys,
                new RedisFeedLog(commands, keys, 100_000, Duration.ofSeconds(2)),
                new RedisStatusLog(commands, keys, 100_000),
                new PgLaneLog(sessions, pg)),
            settings,
            new FeedMetrics(new SimpleMeterRegistry()));
    node.start();
    server = vertx.createHttpServer().webSocketHandler(this::accept);
    port =
        server
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .orTimeout(30, TimeUnit.SECONDS)
            .join()
            .actualPort();
  }

  /**
   * Completes the handshake only once the node has read the heads of the lanes asked for, as the
   * application's node does ({@link FeedJoin}).
   */
  private void accept(ServerWebSocket ws) {
    if (!"/feed".equals(ws.path())) {
      ws.reject(404);
      return;
    }
    Promise<FeedNode.Heads> heads = Promise.promise();
    ws.setHandshake(heads.future().map(101)).onSuccess(status -> open(ws, heads.future().result()));
    node.heads(ws.query()).onFailure().recoverWithNull().subscribe().with(heads::complete);
  }

  private void open(ServerWebSocket ws, FeedNode.Heads heads) {
    Executor loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
    Outlet outlet =
        new Outlet() {
          @Override
          public Executor loop() {
            return loop;
          }

          @Override
          public void send(Frame frame, Runnable done) {
            ws.writeTextMessage(frame.text()).onComplete(ignored -> done.run());
          }

          @Override
          public Uni<Void> close(int code, String reason) {
            return Uni.createFrom()
                .completionStage(() -> ws.close((short) code, reason).toCompletionStage());
          }
        };
    Subscriber s =
        node.open(
            outlet,
            new Handshake(
                ws.query(),
                ws.headers().get("X-Api-Key"),
                List.of(),
                ws.remoteAddress().hostAddress()),
            heads);
    ws.closeHandler(
        v -> {
          if (s != null) {
            node.closed(s);
          }
        });
  }

  @Override
  public void close() {
    node.stop();
    server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    redis.close();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }
}
