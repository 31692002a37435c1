package io.preconf.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.ChainLedger;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgChainLedger;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Every path that reads preconfirmations back from PostgreSQL: the lookup behind the cache (what
 * validate and the functions' find fall back to), status, the lane read, the feed's lane archive,
 * and the finality ledger's bundle legs and reconciliation candidates.
 */
final class StoredReads {
  private final PgPreconfirmations pg;
  private final PgStatusQuery status;
  private final PgLaneLog archive;
  private final PgChainLedger ledger;

  StoredReads(
      PgPreconfirmations pg, PgStatusQuery status, Mutiny.SessionFactory sessions, PgCalls calls) {
    this.pg = pg;
    this.status = status;
    this.archive = new PgLaneLog(sessions, calls);
    this.ledger = new PgChainLedger(sessions, calls);
  }

  /**
   * Asserts that each path gives back every one of {@code issued} (all of one chain, none of them
   * included yet) as the same wire bytes, and nothing else from the lane's sequences they span.
   */
  void giveBack(ChainId chain, List<Preconfirmation> issued) {
    Map<Hash32, String> answered = new LinkedHashMap<>();
    issued.forEach(p -> answered.put(p.txHash(), PreconfirmationCodec.toJson(p)));
    long first = issued.stream().mapToLong(Preconfirmation::sequence).min().orElseThrow();
    long last = issued.stream().mapToLong(Preconfirmation::sequence).max().orElseThrow();
    Set<Hash32> roots = issued.stream().map(p -> p.commitment().root()).collect(Collectors.toSet());

    Map<String, List<Preconfirmation>> reads = new LinkedHashMap<>();
    reads.put(
        "find", issued.stream().map(p -> await(pg.find(chain, p.txHash())).orElseThrow()).toList());
    List<TrackedPreconfirmation> tracked =
        issued.stream()
            .map(p -> await(status.find(chain, p.txHash())).orElseThrow().promise())
            .toList();
    assertThat(tracked)
        .extracting(TrackedPreconfirmation::status)
        .containsOnly(Status.PRECONFIRMED);
    reads.put("status", preconfirmations(tracked));
    reads.put("lane", await(pg.lane(chain, first, (int) (last - first + 1))));
    reads.put(
        "lane archive",
        await(archive.read(chain, first, last, (int) (last - first + 1))).stream()
            .filter(LaneEntry.Issued.class::isInstance)
            .map(e -> ((LaneEntry.Issued) e).preconfirmation())
            .toList());
    reads.put("bundle legs", preconfirmations(await(ledger.bundleLegs(roots))));
    reads.put(
        "reconciliation candidates",
        preconfirmations(
            await(
                ledger.candidates(
                    new ChainLedger.Candidates(chain, answered.keySet(), Set.of(), 0, 0, -1, 0)))));

    reads.forEach(
        (what, read) -> {
          Map<Hash32, String> readBack = new LinkedHashMap<>();
          read.forEach(p -> readBack.put(p.txHash(), PreconfirmationCodec.toJson(p)));
          assertThat(readBack).as(what).containsExactlyInAnyOrderEntriesOf(answered);
        });
  }

  /** The lane archive's entries from {@code first} to {@code last}, in lane order. */
  List<LaneEntry> archive(ChainId chain, long first, long last) {
    return await(archive.read(chain, first, last, (int) (last - first + 1)));
  }

  private static List<Preconfirmation> preconfirmations(List<TrackedPreconfirmation> tracked) {
    return tracked.stream().map(TrackedPreconfirmation::preconfirmation).toList();
  }

  private static <T> T await(Uni<T> call) {
    return call.await().atMost(Adapters.AWAIT);
  }
}
