package io.preconf.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber of the feed for bench/e2e.sh: follows every lane of a feed node (no filter, live
 * from now), so that a run measures the node's cost with someone to serve. It counts the frames it
 * takes and, when stopped (SIGTERM), writes how many preconfirmations and other frames it got to
 * {@code out}.
 *
 * <p>Arguments: {@code port=P out=FILE}.
 */
public final class FeedFollower implements WebSocket.Listener {
  private final AtomicLong preconfirmations = new AtomicLong();
  private final AtomicLong others = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final StringBuilder partial = new StringBuilder();

  public static void main(String[] argv) throws Exception {
    var args = RequestBodies.arguments(argv);
    int port = Integer.parseInt(RequestBodies.required(args, "port"));
    Path out = Path.of(RequestBodies.required(args, "out"));
    FeedFollower follower = new FeedFollower();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> follower.write(out)));
    HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/feed"), follower)
        .join();
    follower.closed.await();
    follower.write(out);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      // Frames are small JSON objects whose "type" comes first; counting needs no parse.
      if (partial.indexOf("{\"type\":\"preconfirmation\"") == 0) {
        preconfirmations.incrementAndGet();
      } else {
        others.incrementAndGet();
      }
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.countDown();
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.countDown();
  }

  private void write(Path out) {
    try {
      Files.writeString(
          out,
          "preconfirmations=" + preconfirmations.get() + " other_frames=" + others.get() + "\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + out, e);
    }
  }
}
