package io.preconf.core.engine;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Rejection;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * What became of some legs of a request: their preconfirmations and their refusals, each by the
 * leg's index in the request.
 */
record Issued(List<Indexed> issued, List<IndexedRejection> rejected) {
  static final Issued NONE = new Issued(List.of(), List.of());

  /** A preconfirmation, by the index of its transaction in the request. */
  record Indexed(int index, Preconfirmation preconfirmation) {}

  /** Each leg with the preconfirmation at the same place in {@code preconfirmations}. */
  static Issued of(List<Leg> legs, List<Preconfirmation> preconfirmations) {
    List<Indexed> indexed = new ArrayList<>(legs.size());
    for (int i = 0; i < legs.size(); i++) {
      indexed.add(new Indexed(legs.get(i).index(), preconfirmations.get(i)));
    }
    return new Issued(indexed, List.of());
  }

  /** A leg answered with a preconfirmation already recorded for it. */
  static Issued found(Leg leg, Preconfirmation p) {
    return new Issued(List.of(new Indexed(leg.index(), p)), List.of());
  }

  static Issued failed(List<Leg> legs, Rejection why) {
    return new Issued(
        List.of(), legs.stream().map(l -> new IndexedRejection(l.index(), why)).toList());
  }

  /** One answer for several legs, each answered on its own. */
  static Uni<Issued> combined(List<Uni<Issued>> each) {
    return Uni.combine()
        .all()
        .unis(each)
        .with(
            results -> {
              List<Indexed> found = new ArrayList<>();
              List<IndexedRejection> missing = new ArrayList<>();
              for (Object r : results) {
                Issued one = (Issued) r;
                found.addAll(one.issued());
                missing.addAll(one.rejected());
              }
              return new Issued(found, missing);
            });
  }
}
