package io.preconf.functions.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.buffer.Unpooled;
import io.preconf.functions.Functions;
import io.preconf.functions.config.ClientLimits;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /preconfirm} over HTTP, served where the request arrives, on its event loop: the same
 * function, the same answer byte for byte, as Funqy's route gave, without what that route costs
 * each request. Funqy hands every call to a worker thread, runs it in a fresh request context, and
 * hands its answer to a worker again to write it; preconfirm blocks nowhere (its signing, and the
 * decoding of a request of several transactions, run on the engine's own executor; a lone
 * transaction's decoding and sender recovery, some 50 µs, run here; its I/O is non-blocking), so
 * none of that is needed. The other functions, and every function on Lambda, stay Funqy's.
 *
 * <p>As Funqy did: an empty body is the function's missing input, and a body that is not JSON fails
 * the request with 400, which {@link JsonErrors} answers naming what is wrong.
 */
@ApplicationScoped
public class PreconfirmRoute {
  @Inject Functions functions;
  @Inject ClientLimits clients;
  @Inject OverloadedAnswers overload;
  @Inject ObjectMapper json;

  private ObjectReader reader;

  @PostConstruct
  void reader() {
    reader = json.readerFor(JsonNode.class);
  }

  void install(@Observes Router router) {
    // Ahead of Funqy's route for every function, which takes the order of its insertion (a small
    // number); behind Quarkus's body handler and JsonErrors' checks, which run first of all.
    router.post("/preconfirm").order(-1).handler(this::answer);
  }

  private void answer(RoutingContext ctx) {
    JsonNode body;
    try {
      body = read(ctx);
    } catch (IOException e) {
      ctx.fail(400, e);
      return;
    }
    functions
        .preconfirmTextFor(body, clients.of(ctx), overload.marker(ctx))
        .subscribe()
        .with(answer -> write(ctx, answer), ctx::fail);
  }

  private JsonNode read(RoutingContext ctx) throws IOException {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    return buffer == null || buffer.length() == 0 ? null : reader.readValue(buffer.getBytes());
  }

  /**
   * The answer's text, written in one pass with each commitment's text made once, made bytes in one
   * copy (a String of ASCII is copied, not encoded character by character as a UTF-8 generator
   * would) and handed to the response as it is: {@code Buffer.buffer(byte[])} would copy a
   * 100-transaction answer's 810 KB once more.
   */
  private static void write(RoutingContext ctx, String answer) {
    ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(Unpooled.wrappedBuffer(answer.getBytes(StandardCharsets.UTF_8))));
  }
}
