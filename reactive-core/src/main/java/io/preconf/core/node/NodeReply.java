package io.preconf.core.node;

/** A rollup node's answer to a read it was relayed unchanged (see {@link RollupNode#read}). */
public sealed interface NodeReply {

  /** The node's {@code result}, as JSON text ({@code null} when it has nothing to give). */
  record Result(String json) implements NodeReply {}

  /** The node refused the read, in its own words and code. */
  record Error(long code, String message) implements NodeReply {}
}
