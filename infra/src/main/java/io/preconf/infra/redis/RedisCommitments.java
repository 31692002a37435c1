package io.preconf.infra.redis;

import io.preconf.core.commit.Commitment;
import io.preconf.core.port.Clock;
import io.preconf.core.types.Hash32;
import io.preconf.wire.WireFormatException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Commitments in Redis, each once for all the preconfirmations under it ({@link
 * RedisKeys#commitment}). A round of requests shares one commitment and its 3.3 KB ML-DSA
 * signature; the cache's entries and the feed log's name it by its root instead of each carrying a
 * copy, and the readers put them back together. The value is the commitment's bytes ({@link
 * CommitmentBytes}), not its JSON.
 *
 * <p>A commitment lives in Redis until it expires, as the cache entries under it do, and at least
 * {@link #KEEP} after it is written, for the feed's readers; a feed entry read after its commitment
 * is gone counts as missing from the log and is read from the durable store, as trimmed entries
 * are. A reader that finds a commitment missing (expired, evicted, lost with Redis' data) never
 * makes up an entry: the cache answers from PostgreSQL, the feed log leaves a gap.
 *
 * <p>This process keeps the commitments it wrote or read lately, decoded, in a bounded LRU: a feed
 * node fetches and parses a round's commitment once for all its entries, and of the cache fill and
 * the feed publish of a round, whichever comes first writes the commitment and the other names it
 * only. Thread-safe.
 */
public final class RedisCommitments {
  private static final Logger LOG = Logger.getLogger(RedisCommitments.class);

  /** The least time a commitment stays after it is written, whatever its expiry. */
  static final Duration KEEP = Duration.ofMinutes(1);

  /**
   * How much longer than the entries naming it a commitment lives. An entry's expiry is reckoned
   * from a clock read made before the commitment's, and Redis sets it after the commitment in the
   * same round trip, so with equal lifetimes the commitment could go a millisecond before an entry
   * that names it, which would then read as missing.
   */
  static final Duration OUTLIVE = Duration.ofSeconds(1);

  private final RedisCommands redis;
  private final RedisKeys keys;
  private final Clock clock;
  private final Map<Hash32, Known> known;

  /** A commitment this process holds; {@code writtenUntil} 0 when it only read it. */
  private record Known(Commitment commitment, long writtenUntil) {}

  /**
   * @param capacity how many decoded commitments this process keeps (about 10 KB each)
   */
  public RedisCommitments(RedisCommands redis, RedisKeys keys, Clock clock, int capacity) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
    this.known =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash32, Known> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Keeps a thousand commitments: rounds of the last seconds at the engine's peak. */
  public RedisCommitments(RedisCommands redis, RedisKeys keys, Clock clock) {
    this(redis, keys, clock, 1_000);
  }

  String key(Hash32 root) {
    return keys.commitment(root);
  }

  /**
   * The commitments of {@code wanted} this process has not written yet (or whose copy is about to
   * go), marked written from now on: the caller writes them with the entries that name them ({@link
   * #set}, {@link #millisToLive}), and calls {@link #unwritten} if that fails.
   */
  List<Commitment> toWrite(Collection<Commitment> wanted) {
    long now = clock.nowMillis();
    List<Commitment> out = new ArrayList<>();
    synchronized (known) {
      for (Commitment c : new LinkedHashSet<>(wanted)) {
        Known k = known.get(c.root());
        if (k != null && k.writtenUntil() - now >= KEEP.toMillis() / 2) {
          continue;
        }
        known.put(c.root(), new Known(c, now + millisToLive(c, now)));
        out.add(c);
      }
    }
    return out;
  }

  /** A write of these failed: whoever names them next writes them. */
  void unwritten(Collection<Commitment> failed) {
    synchronized (known) {
      failed.forEach(c -> known.remove(c.root()));
    }
  }

  private static long millisToLive(Commitment c, long now) {
    return Math.max(c.expiresAt() - now, KEEP.toMillis()) + OUTLIVE.toMillis();
  }

  /** How long a commitment written now lives in Redis (ms). */
  long millisToLive(Commitment c) {
    return millisToLive(c, clock.nowMillis());
  }

  /**
   * How long an entry naming {@code c}, written now, lives: until {@code c} expires (0 or less once
   * it has). A commitment written with it lives {@link #OUTLIVE} longer.
   */
  long entryMillisToLive(Commitment c) {
    return c.expiresAt() - clock.nowMillis();
  }

  /** The command that writes a commitment for {@link #millisToLive}. */
  Request set(Commitment c) {
    return Request.cmd(Command.SET)
        .arg(key(c.root()))
        .arg(CommitmentBytes.encode(c))
        .arg("PX")
        .arg(millisToLive(c));
  }

  /** The commitment with this root if this process holds it; null otherwise. */
  Commitment held(Hash32 root) {
    synchronized (known) {
      Known k = known.get(root);
      return k == null ? null : k.commitment();
    }
  }

  /**
   * Makes {@link #held} answer for every root of {@code roots} that Redis has, reading those this
   * process does not hold in one MGET. A root Redis does not have (or holds unreadable) stays
   * unknown: its entries count as missing.
   */
  Uni<Void> fetch(Collection<Hash32> roots) {
    Set<Hash32> unknown = new LinkedHashSet<>();
    synchronized (known) {
      for (Hash32 root : roots) {
        if (!known.containsKey(root)) {
          unknown.add(root);
        }
      }
    }
    List<Hash32> missing = List.copyOf(unknown);
    if (missing.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Request mget = Request.cmd(Command.MGET);
    missing.forEach(root -> mget.arg(key(root)));
    return redis
        .send("reading commitments", mget)
        .onItem()
        .transform(
            found -> {
              remember(missing, found);
              return null;
            });
  }

  private void remember(List<Hash32> asked, Response found) {
    for (int i = 0; i < asked.size(); i++) {
      Response stored = found.get(i);
      if (stored == null) {
        continue;
      }
      Hash32 root = asked.get(i);
      try {
        Commitment c = CommitmentBytes.decode(stored.toBytes());
        if (!c.root().equals(root)) {
          LOG.warnf("Redis holds a commitment with root %s under root %s", c.root(), root);
          continue;
        }
        synchronized (known) {
          known.putIfAbsent(root, new Known(c, 0));
        }
      } catch (WireFormatException e) {
        LOG.warnf("Redis holds an unreadable commitment under root %s: %s", root, e.getMessage());
      }
    }
  }
}
