package io.preconf.infra.redis;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.LaneLog;
import io.preconf.core.port.Clock;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each lane's feed log: a Redis Stream whose entry IDs are the lane sequences ({@code
 * "<sequence>-0"}), written in lane order with no gap (see {@code publish.lua}). An entry holds the
 * preconfirmation, with its commitment named by its root, and the signed transaction it promises
 * (its bytes; an older engine's entries hold it as hex, and name the root twice). A reader that
 * last saw sequence {@code n} resumes with {@link #read(ChainId, long, int)} from {@code n + 1}.
 *
 * <p>Entries published ahead of a missing sequence wait in a hash beside the stream ({@link
 * RedisKeys#feedPending}) until it comes or the gap wait is over.
 *
 * <p>A publish also fills the preconfirmation cache ({@link RedisPreconfirmationCache}), in the
 * same script: Redis fsyncs one write for both, and each cache entry names its feed entry instead
 * of carrying the same JSON again.
 *
 * <p>Each commitment is written once ({@link RedisCommitments}), by the publish that first names it
 * in this process, in the same script as its entries. Reading fetches the commitments a batch names
 * that this process does not hold, in one round trip, before it decodes any entry; an entry whose
 * commitment is gone is left out, a gap that readers fill from the durable store ({@link
 * io.preconf.core.feed.LaneReader}). Entries an older engine wrote, with the whole commitment
 * inside, read as they are.
 */
public final class RedisFeedLog implements FeedPublisher, LaneLog {
  private static final LuaScript PUBLISH = LuaScript.load("publish");

  private final RedisCommands redis;
  private final RedisKeys keys;
  private final long maxLength;
  private final Duration gapWait;
  private final RedisCommitments commitments;

  /**
   * @param maxLength how many entries a lane's stream keeps (approximately); older ones are trimmed
   *     and must be replayed from the durable store
   * @param gapWait how long the log waits for a missing sequence before it moves on and leaves a
   *     gap for readers to fill from the durable store
   */
  public RedisFeedLog(
      RedisCommands redis,
      RedisKeys keys,
      long maxLength,
      Duration gapWait,
      RedisCommitments commitments) {
    this.redis = redis;
    this.keys = keys;
    this.maxLength = maxLength;
    this.gapWait = gapWait;
    this.commitments = commitments;
  }

  /** A log with commitments of its own, not shared with the cache. */
  public RedisFeedLog(RedisCommands redis, RedisKeys keys, long maxLength, Duration gapWait) {
    this(redis, keys, maxLength, gapWait, new RedisCommitments(redis, keys, Clock.SYSTEM));
  }

  @Override
  public Uni<Void> publish(List<PromisedTransaction> issued) {
    Map<ChainId, List<PromisedTransaction>> byChain = new TreeMap<>();
    for (PromisedTransaction p : issued) {
      byChain.computeIfAbsent(p.preconfirmation().chainId(), c -> new ArrayList<>()).add(p);
    }
    List<Uni<Response>> each = new ArrayList<>();
    byChain.forEach(
        (chain, list) -> {
          list.sort(Comparator.comparingLong(PromisedTransaction::sequence));
          List<Commitment> written =
              commitments.toWrite(
                  list.stream().map(p -> p.preconfirmation().commitment()).toList());
          List<String> extraKeys = new ArrayList<>(written.size() + list.size());
          List<Object> args = new ArrayList<>(3 + 2 * written.size() + 4 * list.size());
          args.add(Long.toString(maxLength));
          args.add(Long.toString(gapWait.toMillis()));
          args.add(Integer.toString(written.size()));
          for (Commitment c : written) {
            extraKeys.add(commitments.key(c.root()));
            args.add(CommitmentBytes.encode(c));
            args.add(Long.toString(commitments.millisToLive(c)));
          }
          for (PromisedTransaction p : list) {
            Preconfirmation one = p.preconfirmation();
            extraKeys.add(keys.cached(chain, one.txHash()));
            args.add(Long.toString(p.sequence()));
            args.add(PreconfirmationCodec.toJsonByRoot(one));
            args.add(p.signedTransaction().unsafeArray());
            args.add(Long.toString(Math.max(0, commitments.entryMillisToLive(one.commitment()))));
          }
          each.add(
              run(chain, extraKeys, args).onFailure().invoke(() -> commitments.unwritten(written)));
        });
    return each.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.combine().all().unis(each).discardItems();
  }

  /**
   * Lets lanes' logs move on: past sequences voided since, and past a missing sequence once the gap
   * wait is over. Publishing does this by itself; the lane sequencer calls it after voiding.
   */
  public Uni<Void> advance(Collection<ChainId> chains) {
    List<Uni<Response>> each = new ArrayList<>();
    for (ChainId chain : chains) {
      each.add(
          run(
              chain,
              List.of(),
              List.of(Long.toString(maxLength), Long.toString(gapWait.toMillis()), "0")));
    }
    return Uni.combine().all().unis(each).discardItems();
  }

  /**
   * Runs {@code publish.lua} on a lane's log.
   *
   * @param extraKeys the keys of the commitments written, then the cache key of each entry
   */
  private Uni<Response> run(ChainId chain, List<String> extraKeys, List<?> args) {
    List<String> k = new ArrayList<>(8 + extraKeys.size());
    k.add(keys.feed(chain));
    k.add(keys.feedPending(chain));
    k.add(keys.voids(chain));
    k.add(keys.feedHead(chain));
    k.add(keys.open(chain));
    k.add(keys.feedStall(chain));
    k.add(keys.feedPendingTx(chain));
    k.add(keys.feedPendingRoot(chain));
    k.addAll(extraKeys);
    return redis.eval("appending to the feed log of lane " + chain, PUBLISH, k, args);
  }

  /**
   * Moves on the logs of those lanes that have entries waiting (one HLEN each, in one round trip),
   * so that a lane nobody publishes to does not hold its waiting entries for ever.
   */
  @Override
  public Uni<Void> moveOn(Collection<ChainId> chains) {
    if (chains.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<ChainId> asked = List.copyOf(chains);
    List<Request> lengths = new ArrayList<>(asked.size());
    for (ChainId chain : asked) {
      lengths.add(Request.cmd(Command.HLEN).arg(keys.feedPending(chain)));
    }
    return redis
        .batch("checking for stalled feed logs", lengths)
        .onItem()
        .transformToUni(
            answers -> {
              List<ChainId> stalled = new ArrayList<>();
              for (int i = 0; i < asked.size(); i++) {
                if (answers.get(i) != null && answers.get(i).toLong() > 0) {
                  stalled.add(asked.get(i));
                }
              }
              return stalled.isEmpty() ? Uni.createFrom().voidItem() : advance(stalled);
            });
  }

  /** Up to {@code max} entries of a lane's log, from {@code fromSequence} on, in lane order. */
  @Override
  public Uni<List<LaneEntry>> read(ChainId chain, long fromSequence, int max) {
    Request xrange =
        Request.cmd(Command.XRANGE)
            .arg(keys.feed(chain))
            .arg(Math.max(1, fromSequence) + "-0")
            .arg("+")
            .arg("COUNT")
            .arg(max);
    return redis
        .send("reading the feed log of lane " + chain, xrange)
        .call(this::fetchCommitments)
        .onItem()
        .transform(this::entries);
  }

  /** The last sequence in a lane's log, 0 when nothing was published yet. */
  @Override
  public Uni<Long> head(ChainId chain) {
    return redis
        .send(
            "reading the feed head of lane " + chain,
            Request.cmd(Command.GET).arg(keys.feedHead(chain)))
        .onItem()
        .transform(r -> r == null ? 0L : r.toLong());
  }

  /**
   * Fetches the commitments that entries as {@link #entries} reads them name and this process does
   * not hold, so that decoding them needs no further round trip.
   */
  Uni<Void> fetchCommitments(Response r) {
    List<Hash32> roots = new ArrayList<>();
    for (Response e : r) {
      Response fields = e.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String name = fields.get(i).toString();
        if (name.equals("data")) {
          Hash32 root = namedRoot(fields.get(i + 1).toString());
          if (root != null) {
            roots.add(root);
          }
        }
      }
    }
    return roots.isEmpty() ? Uni.createFrom().voidItem() : commitments.fetch(roots);
  }

  /**
   * How many characters {@link PreconfirmationCodec#toJsonByRoot} ends with: {@code "0x<root>"}}.
   */
  private static final int ROOT_AT_END = 1 + 2 + Hash32.SIZE * 2 + 1 + 1;

  /**
   * The root an entry's JSON names, read from where {@link PreconfirmationCodec#toJsonByRoot} puts
   * it (last), without parsing the rest: fetching a batch's commitments comes before decoding any
   * entry. Null when the JSON does not end so (an older engine's whole commitment inside): then
   * there is nothing to fetch, or the entry reads as missing.
   */
  static Hash32 namedRoot(String data) {
    int from = data.length() - ROOT_AT_END;
    if (from < 0 || !data.startsWith("\"0x", from) || !data.endsWith("\"}")) {
      return null;
    }
    try {
      return Hash32.fromHex(data.substring(from + 1, data.length() - 2));
    } catch (RuntimeException notHex) {
      return null;
    }
  }

  /**
   * Entries as XRANGE lists them, and as XREAD lists one stream's: {@code [[id, [field, value,
   * ...]], ...]}. A reader woken by XREAD ({@link RedisFeedSignal}) parses its answer here instead
   * of reading the entries again. An entry whose commitment this process does not hold (not
   * fetched, or gone from Redis) is left out: a gap.
   */
  List<LaneEntry> entries(Response r) {
    List<LaneEntry> out = new ArrayList<>(r.size());
    for (Response e : r) {
      long seq = sequence(e.get(0));
      Response fields = e.get(1);
      String type = null;
      String value = null;
      Bytes tx = null;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String name = fields.get(i).toString();
        if (name.equals("type")) {
          type = fields.get(i + 1).toString();
        } else if (name.equals("raw")) {
          tx = Bytes.wrap(fields.get(i + 1).toBytes());
        } else if (name.equals("tx")) {
          tx = Bytes.fromHex("tx", fields.get(i + 1).toString());
        } else if (name.equals("data") || name.equals("txHash")) {
          value = fields.get(i + 1).toString();
        }
      }
      if ("void".equals(type)) {
        out.add(new LaneEntry.Void(seq, Hash32.fromHex("txHash", value)));
        continue;
      }
      PreconfirmationCodec.ByRoot entry = PreconfirmationCodec.readByRoot(value);
      Commitment c =
          entry.commitment() != null ? entry.commitment() : commitments.held(entry.root());
      if (c != null) {
        out.add(new LaneEntry.Issued(seq, entry.attach(c), tx));
      }
    }
    return out;
  }

  /** The lane sequence an entry ID ({@code "<sequence>-0"}) stands for. */
  static long sequence(Response id) {
    String text = id.toString();
    return Long.parseLong(text.substring(0, text.indexOf('-')));
  }
}
