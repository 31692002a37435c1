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
  private final RedisFeedLog log;

  /**
   * @param log the feed log whose entries the answers bring, decoded with the commitments it holds
   */
  public RedisFeedSignal(RedisCommands redis, RedisKeys keys, RedisFeedLog log) {
    this.redis = redis;
    this.keys = keys;
    this.log = log;
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
        .transform(response -> moved(response, streams))
        .call(this::fetchCommitments);
  }

  /**
   * The commitments the news names, fetched before any of it is decoded: one round trip per wake-up
   * that brings a commitment this process does not hold, none otherwise.
   */
  private Uni<Void> fetchCommitments(List<Moved> moved) {
    List<Uni<Void>> each = new ArrayList<>();
    for (Moved m : moved) {
      if (m instanceof Moved.Log l && l.news() instanceof News n) {
        // Not fatal: an entry whose commitment did not come is left out, and the lane reads it.
        each.add(log.fetchCommitments(n.answer()).onFailure().recoverWithNull());
      }
    }
    return each.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join().all(each).andFailFast().replaceWithVoid();
  }

  /**
   * The streams in an XREAD answer, by their place in the request: the answer is a map in RESP3, a
   * list of [key, entries] in RESP2, and null when the wait timed out.
   */
  private List<Moved> moved(Response response, String[] streams) {
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

  private void add(List<Moved> out, int stream, Response entries) {
    if (stream < 0) {
      return; // not a stream this wait asked about
    }
    out.add(
        stream % 2 == 0
            ? new Moved.Log(stream / 2, new News(entries, log))
            : new Moved.Status(stream / 2));
  }

  /** A log's entries in the answer, decoded on asking ({@link RedisFeedLog#entries}). */
  private record News(Response answer, RedisFeedLog log) implements LogNews {
    @Override
    public long first() {
      return answer.size() == 0 ? 0 : RedisFeedLog.sequence(answer.get(0).get(0));
    }

    @Override
    public List<LaneEntry> entries() {
      return log.entries(answer);
    }
  }
}
