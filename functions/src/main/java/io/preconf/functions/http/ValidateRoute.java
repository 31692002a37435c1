package io.preconf.functions.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.preconf.core.error.Result;
import io.preconf.functions.Functions;
import io.preconf.wire.FunctionRequests;
import io.preconf.wire.ValidationBodies;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /validate} over HTTP, served on its event loop as {@link PreconfirmRoute} serves
 * preconfirm: the same function and the same answer byte for byte as Funqy's route gave, without
 * its worker-thread hops and request context. A leaf of a commitment verified before is checked
 * where the request arrives; a signature to verify goes to the engine's CPU executor.
 *
 * <p>The body is read by a streaming parser ({@link ValidationBodies}) when it is well formed, and
 * as a tree, as Funqy reads it, when it is not, so that a refusal names the problem as before. As
 * Funqy did: an empty body is the function's missing input, and a body that is not JSON fails the
 * request with 400, which {@link JsonErrors} answers naming what is wrong.
 */
@ApplicationScoped
public class ValidateRoute {
  @Inject Functions functions;
  @Inject ObjectMapper json;

  private final ValidationBodies bodies = new ValidationBodies();
  private ObjectReader reader;

  @PostConstruct
  void reader() {
    reader = json.readerFor(JsonNode.class);
  }

  void install(@Observes Router router) {
    // Ahead of Funqy's route for every function; see PreconfirmRoute.
    router.post("/validate").order(-1).handler(this::answer);
  }

  private void answer(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    ByteBuf bytes = buffer == null ? Unpooled.EMPTY_BUFFER : buffer.getByteBuf();
    byte[] array;
    int offset;
    int length = bytes.readableBytes();
    if (bytes.hasArray()) {
      // Read where the body handler gathered it: an 800 KB batch is not copied once more.
      array = bytes.array();
      offset = bytes.arrayOffset() + bytes.readerIndex();
    } else {
      array = new byte[length];
      bytes.getBytes(bytes.readerIndex(), array);
      offset = 0;
    }
    Optional<FunctionRequests.Validations> streamed = bodies.read(array, offset, length);
    Uni<String> answer;
    if (streamed.isPresent()) {
      answer = functions.validateText(Result.ok(streamed.get()));
    } else {
      try {
        answer =
            functions.validateText(
                length == 0 ? null : reader.<JsonNode>readValue(array, offset, length));
      } catch (IOException e) {
        ctx.fail(400, e);
        return;
      }
    }
    answer
        .subscribe()
        .with(
            written ->
                ctx.response()
                    .setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(written.getBytes(StandardCharsets.UTF_8))),
            ctx::fail);
  }
}
