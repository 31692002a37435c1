package io.preconf.infra.rpc;

import io.preconf.core.node.SendOutcome;
import io.preconf.core.node.SendOutcome.Refusal;
import io.preconf.core.types.Hash32;
import java.util.List;
import java.util.Locale;

/**
 * What a node's error answer to {@code eth_sendRawTransaction} means. JSON-RPC leaves refusals
 * without codes of their own (most nodes send -32000 or -32003 for all of them), so the words are
 * the protocol: these are the messages of anvil (<a
 * href="https://github.com/foundry-rs/foundry/blob/master/crates/anvil/src/eth/error/mod.rs">its
 * errors</a>) and of geth's transaction pool (<a
 * href="https://github.com/ethereum/go-ethereum/blob/master/core/txpool/errors.go">txpool</a>, <a
 * href="https://github.com/ethereum/go-ethereum/blob/master/core/error.go">core</a>), which other
 * execution clients mostly share. Checked in order, first match wins.
 */
final class NodeRefusals {
  private record Rule(String words, Refusal refusal) {}

  /** The node holds this very transaction already. */
  private static final List<String> KNOWN =
      List.of("already known", "already imported", "known transaction", "already exists");

  private static final List<Rule> RULES =
      List.of(
          new Rule("nonce too low", Refusal.NONCE_TOO_LOW),
          new Rule("replacement transaction underpriced", Refusal.NONCE_TAKEN),
          new Rule("insufficient gas price to replace", Refusal.NONCE_TAKEN),
          new Rule("less than block base fee", Refusal.FEE_TOO_LOW),
          new Rule("transaction underpriced", Refusal.FEE_TOO_LOW),
          new Rule("insufficient funds", Refusal.INSUFFICIENT_FUNDS));

  private NodeRefusals() {}

  /** {@link SendOutcome.AlreadyKnown} or {@link SendOutcome.Refused} for the node's message. */
  static SendOutcome classify(Hash32 tx, String message) {
    String words = message.toLowerCase(Locale.ROOT);
    for (String known : KNOWN) {
      if (words.contains(known)) {
        return new SendOutcome.AlreadyKnown(tx);
      }
    }
    for (Rule rule : RULES) {
      if (words.contains(rule.words())) {
        return new SendOutcome.Refused(tx, rule.refusal(), message);
      }
    }
    return new SendOutcome.Refused(tx, Refusal.OTHER, message);
  }
}
