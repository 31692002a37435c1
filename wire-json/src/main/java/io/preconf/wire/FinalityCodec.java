package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Finality;

/**
 * Where a promised transaction landed: {@code {"blockNumber","blockHash","index"}}, the {@code
 * finality} of a status answer and of a status change, and the place of an evidence inclusion.
 */
public final class FinalityCodec {
  private FinalityCodec() {}

  public static ObjectNode toTree(Finality f) {
    ObjectNode o = Json.object();
    putInto(o, f);
    return o;
  }

  /** Writes the fields into {@code o}, for a shape that carries them inline. */
  static void putInto(ObjectNode o, Finality f) {
    o.put("blockNumber", f.blockNumber());
    o.put("blockHash", f.blockHash().toHex());
    o.put("index", f.index());
  }

  static Finality read(Fields f) {
    return new Finality(f.number("blockNumber"), f.hash("blockHash"), f.index("index"));
  }
}
