package io.preconf.infra.redis;

import io.preconf.core.commit.StatusChange;
import io.preconf.core.port.StatusPublisher;
import io.preconf.core.types.ChainId;
import io.preconf.wire.StatusChangeCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Each chain's status feed: a Redis Stream of status changes, one entry each with the field {@code
 * data} holding the JSON the feed sends as a {@code status} message's {@code data} (spec section
 * 7), as {@link StatusChangeCodec} writes it. Feed nodes read it from the last entry ID they saw.
 */
public final class RedisStatusLog implements StatusPublisher {
  private final RedisCommands redis;
  private final RedisKeys keys;
  private final long maxLength;

  public RedisStatusLog(RedisCommands redis, RedisKeys keys, long maxLength) {
    this.redis = redis;
    this.keys = keys;
    this.maxLength = maxLength;
  }

  /** One entry: its stream ID (to resume after) and the message data as JSON. */
  public record Entry(String id, String json) {}

  @Override
  public Uni<Void> publish(List<StatusChange> changes) {
    if (changes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Request> adds = new ArrayList<>(changes.size());
    for (StatusChange c : changes) {
      adds.add(
          Request.cmd(Command.XADD)
              .arg(keys.statusFeed(c.chainId()))
              .arg("MAXLEN")
              .arg("~")
              .arg(maxLength)
              .arg("*")
              .arg("data")
              .arg(StatusChangeCodec.toJson(c)));
    }
    return redis.batch("appending " + changes.size() + " status changes", adds).replaceWithVoid();
  }

  /** Entries after {@code afterId} ("0" for all, "$"-like use: pass the last ID seen). */
  public Uni<List<Entry>> readAfter(ChainId chain, String afterId, int max) {
    Request xrange =
        Request.cmd(Command.XRANGE)
            .arg(keys.statusFeed(chain))
            .arg("(" + afterId)
            .arg("+")
            .arg("COUNT")
            .arg(max);
    return redis
        .send("reading the status feed of chain " + chain, xrange)
        .onItem()
        .transform(RedisStatusLog::entries);
  }

  /** The ID of the newest entry, "0-0" when the feed is empty: where a live reader starts. */
  public Uni<String> lastId(ChainId chain) {
    Request xrevrange =
        Request.cmd(Command.XREVRANGE)
            .arg(keys.statusFeed(chain))
            .arg("+")
            .arg("-")
            .arg("COUNT")
            .arg(1);
    return redis
        .send("reading the status feed head of chain " + chain, xrevrange)
        .onItem()
        .transform(r -> r == null || r.size() == 0 ? "0-0" : r.get(0).get(0).toString());
  }

  private static List<Entry> entries(Response r) {
    List<Entry> out = new ArrayList<>(r == null ? 0 : r.size());
    if (r == null) {
      return out;
    }
    for (Response e : r) {
      Response fields = e.get(1);
      String json = null;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if ("data".equals(fields.get(i).toString())) {
          json = fields.get(i + 1).toString();
        }
      }
      out.add(new Entry(e.get(0).toString(), json));
    }
    return out;
  }
}
