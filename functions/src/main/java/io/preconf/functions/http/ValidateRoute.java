package io.preconf.functions.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.buffer.ByteBuf;
import io.preconf.core.error.Result;
import io.preconf.core.validation.Validation;
import io.preconf.functions.Functions;
import io.preconf.wire.FunctionRequests;
import io.preconf.wire.ValidationBodies;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /validate} over HTTP, served on its event loop as {@link PreconfirmRoute} serves
 * preconfirm: the same function and the same answer byte for byte as Funqy's route gave, without
 * its worker-thread hops and request context. A leaf of a commitment verified before is checked
 * where the request arrives; a signature to verify goes to the engine's CPU executor.
 *
 * <p>The route gathers its body itself, ahead of Quarkus's body handler, which appends each chunk
 * to a buffer that doubles as it fills: a 100-preconfirmation batch is some 800 KB, and that buffer
 * allocated and copied about 2 MB for it. Here the chunks are kept as they arrive and copied once
 * into an array of the body's size. The checks that run ahead of every route are made here first (a
 * target that is not a URI, a Content-Length above the limit), and a body that grows past the limit
 * is refused 413 as the body handler refuses it.
 *
 * <p>The body is read by a streaming parser ({@link ValidationBodies}) when it is well formed, and
 * as a tree, as Funqy reads it, when it is not, so that a refusal names the problem as before. As
 * Funqy did: an empty body is the function's missing input, and a body that is not JSON is answered
 * 400 naming what is wrong ({@link JsonErrors}).
 */
@ApplicationScoped
public class ValidateRoute {
  @Inject Functions functions;
  @Inject ObjectMapper json;
  @Inject JsonErrors errors;
  @Inject Validation validation;

  private ValidationBodies bodies;
  private ObjectReader reader;

  @PostConstruct
  void readers() {
    reader = json.readerFor(JsonNode.class);
    bodies = new ValidationBodies(validation::verified);
  }

  void install(@Observes Router router) {
    // First of all, beside JsonErrors' target check: ahead of Quarkus's body handler
    // (Integer.MIN_VALUE + 1) and of Funqy's route for every function. Without a path: matching
    // a route's path parses the target, which for one that is not a URI answers a bare 400 before
    // JsonErrors could name the fault.
    router.route().order(Integer.MIN_VALUE).setName(NAME).handler(this::receive);
  }

  /** The route's name in the router. */
  public static final String NAME = "POST /validate";

  private void receive(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.POST || !"/validate".equals(request.path())) {
      ctx.next();
      return;
    }
    if (errors.refusedTarget(ctx) || errors.refusedLength(ctx)) {
      return;
    }
    String expect = request.getHeader(HttpHeaders.EXPECT);
    if (expect != null) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        ctx.fail(417);
        return;
      }
      if (request.version() != HttpVersion.HTTP_1_0) {
        ctx.response().writeContinue();
      }
    }
    if (request.isEnded()) {
      answer(ctx, new byte[0]);
      return;
    }
    Chunks chunks = new Chunks(errors.limit());
    request.handler(
        chunk -> {
          if (!chunks.add(chunk)) {
            ctx.fail(413);
          }
        });
    request.endHandler(
        end -> {
          if (!chunks.refused) {
            answer(ctx, chunks.joined());
          }
        });
    request.resume();
  }

  /** A body's chunks as they arrive, up to {@code limit} bytes in all (none when not positive). */
  private static final class Chunks {
    private final long limit;
    private final List<Buffer> received = new ArrayList<>();
    private long size;
    private boolean refused;

    Chunks(long limit) {
      this.limit = limit;
    }

    /** Keeps {@code chunk}; false, once, when it takes the body past the limit. */
    boolean add(Buffer chunk) {
      if (refused) {
        return true;
      }
      size += chunk.length();
      if (limit > 0 && size > limit) {
        refused = true;
        received.clear();
        return false;
      }
      received.add(chunk);
      return true;
    }

    /**
     * The body as one array: a body that came in one chunk is that chunk's own array when the chunk
     * fills it exactly (Vert.x copies each chunk off the socket into a heap array of its size), not
     * copied once more.
     */
    byte[] joined() {
      if (received.size() == 1) {
        ByteBuf only = received.get(0).getByteBuf();
        if (only.hasArray()
            && only.arrayOffset() == 0
            && only.readerIndex() == 0
            && only.readableBytes() == only.array().length) {
          return only.array();
        }
      }
      byte[] body = new byte[(int) size];
      int at = 0;
      for (Buffer chunk : received) {
        chunk.getBytes(body, at);
        at += chunk.length();
      }
      return body;
    }
  }

  private void answer(RoutingContext ctx, byte[] body) {
    Optional<FunctionRequests.Validations> streamed = bodies.read(body);
    Uni<String> answer;
    if (streamed.isPresent()) {
      answer = functions.validateText(Result.ok(streamed.get()));
    } else {
      try {
        answer = functions.validateText(body.length == 0 ? null : reader.<JsonNode>readValue(body));
      } catch (IOException e) {
        errors.refuseMalformed(ctx, body);
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
