package io.preconf.infra.redis;

import io.preconf.core.feed.StatusStream;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.wire.StatusChangeCodec;
import io.preconf.wire.WireFormatException;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chain's status changes as feed readers take them: the entries of {@link RedisStatusLog}, each
 * with the sender of its transaction, looked up in PostgreSQL once per transaction (one query per
 * read) and remembered for the changes that follow it (included, then finalized).
 */
public final class RedisStatusStream implements StatusStream {
  private static final int SENDERS_REMEMBERED = 65_536;

  private final RedisStatusLog log;
  private final PgLaneLog archive;

  private record Tx(ChainId chain, Hash32 hash) {}

  /** Senders of recent transactions; guarded by itself. */
  private final Map<Tx, Address> senders =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Tx, Address> eldest) {
          return size() > SENDERS_REMEMBERED;
        }
      };

  public RedisStatusStream(RedisStatusLog log, PgLaneLog archive) {
    this.log = log;
    this.archive = archive;
  }

  @Override
  public Uni<String> newest(ChainId chain) {
    return log.lastId(chain);
  }

  @Override
  public Uni<Batch> readAfter(ChainId chain, String after, int max) {
    return log.readAfter(chain, after, max)
        .onItem()
        .transformToUni(entries -> withSenders(chain, after, max, entries));
  }

  private Uni<Batch> withSenders(
      ChainId chain, String after, int max, List<RedisStatusLog.Entry> entries) {
    List<Tx> txs = new ArrayList<>(entries.size());
    Set<Hash32> unknown = new LinkedHashSet<>();
    for (RedisStatusLog.Entry e : entries) {
      Hash32 hash = txHash(e.json());
      Tx tx = hash == null ? null : new Tx(chain, hash);
      txs.add(tx);
      if (tx != null && sender(tx) == null) {
        unknown.add(hash);
      }
    }
    Uni<Void> lookedUp =
        unknown.isEmpty()
            ? Uni.createFrom().voidItem()
            : archive
                .senders(chain, unknown)
                .onItem()
                .invoke(found -> found.forEach((hash, sender) -> remember(chain, hash, sender)))
                .replaceWithVoid();
    return lookedUp
        .onItem()
        .transform(
            ignored -> {
              List<Change> changes = new ArrayList<>(entries.size());
              for (int i = 0; i < entries.size(); i++) {
                RedisStatusLog.Entry e = entries.get(i);
                if (e.json() != null) {
                  Tx tx = txs.get(i);
                  changes.add(new Change(tx == null ? null : sender(tx), e.json()));
                }
              }
              String next = entries.isEmpty() ? after : entries.get(entries.size() - 1).id();
              return new Batch(changes, next, entries.size() >= max);
            });
  }

  private Address sender(Tx tx) {
    synchronized (senders) {
      return senders.get(tx);
    }
  }

  private void remember(ChainId chain, Hash32 hash, Address sender) {
    synchronized (senders) {
      senders.put(new Tx(chain, hash), sender);
    }
  }

  /** The {@code txHash} of a change's JSON, or null when it has none that parses. */
  private static Hash32 txHash(String json) {
    if (json == null) {
      return null;
    }
    try {
      return StatusChangeCodec.txHash(json);
    } catch (WireFormatException e) {
      return null;
    }
  }
}
