package io.preconf.infra.redis;

import io.preconf.core.feed.FeedSignal;
import io.preconf.core.feed.LaneEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The feed's wake-up: one blocking {@code XREAD} over every watched lane's feed log ({@link
 * RedisFeedLog}) and status stream ({@link RedisStatusLog}), from what the node has seen of each.
 * Redis answers as soon as any of them moves, with the new entries themselves (up to a batch per
 * stream), so a lane that is up to date dispatches them without reading the log again.
 */
public final class RedisFeedSignal implements FeedSignal {
  private final RedisCommands redis;
  private final RedisKeys keys;

  public RedisFeedSignal(RedisCommands redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  @Override
  public Duration timeout() {
    return redis.timeout();
  }

  @Override
  public Uni<List<Moved>> await(List<Watch> watches, int max, Duration block) {
    int n = watches.size();
    // Keys first, then IDs, in the same order: the log of watch i is stream 2i, its status 2i+1.
    String[] streams = new String[2 * n];
    Request xread =
        Request.cmd(Command.XREAD)
            .arg("COUNT")
            .arg(max)
            .arg("BLOCK")
            .arg(block.toMillis())
            .arg("STREAMS");
    for (int i = 0; i < n; i++) {
      Watch w = watches.get(i);
      streams[2 * i] = keys.feed(w.chain());
      streams[2 * i + 1] = keys.statusFeed(w.chain());
      xread.arg(streams[2 * i]).arg(streams[2 * i + 1]);
    }
    for (Watch w : watches) {
      xread.arg(w.logAfter() + "-0").arg(w.statusAfter());
    }
    return redis
        .send("waiting for news on the feed streams", xread)
        .onItem()
        .transform(response -> moved(response, streams));
  }

  /**
   * The streams in an XREAD answer, by their place in the request: the answer is a map in RESP3, a
   * list of [key, entries] in RESP2, and null when the wait timed out.
   */
  private static List<Moved> moved(Response response, String[] streams) {
    if (response == null || response.size() == 0) {
      return List.of();
    }
    List<Moved> out = new ArrayList<>(response.size());
    if (response.isMap()) {
      for (String key : response.getKeys()) {
        add(out, indexOf(streams, key), response.get(key));
      }
    } else {
      for (Response stream : response) {
        add(out, indexOf(streams, stream.get(0).toString()), stream.get(1));
      }
    }
    return out;
  }

  /** A node serves a handful of chains: a scan costs less than building a map per answer. */
  private static int indexOf(String[] streams, String key) {
    for (int i = 0; i < streams.length; i++) {
      if (streams[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static void add(List<Moved> out, int stream, Response entries) {
    if (stream < 0) {
      return; // not a stream this wait asked about
    }
    out.add(
        stream % 2 == 0
            ? new Moved.Log(stream / 2, new News(entries))
            : new Moved.Status(stream / 2));
  }

  /** A log's entries in the answer, decoded on asking ({@link RedisFeedLog#entries}). */
  private record News(Response answer) implements LogNews {
    @Override
    public long first() {
      return answer.size() == 0 ? 0 : RedisFeedLog.sequence(answer.get(0).get(0));
    }

    @Override
    public List<LaneEntry> entries() {
      return RedisFeedLog.entries(answer);
    }
  }
}
