package io.preconf.functions.tools;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.node.AccountState;
import io.preconf.core.node.ChainHead;
import io.preconf.core.node.RollupNode;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.rpc.DevAccounts;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.smallrye.mutiny.Uni;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A command-line tool (not part of any function): prints a signed EIP-1559 transfer on the given
 * chain, ready for {@code preconfirm}. Run through {@code bin/sample-tx CHAIN_ID [NONCE]}, which
 * passes {@code --rpc URL} when the chain's local node answers.
 *
 * <p>With a node, the sender is one of the node's funded development accounts ({@code --account N},
 * 0 to 9, or one at random), the nonce is the account's next one by the node (pending transactions
 * included) unless given, and the max fee covers twice the node's base fee plus the tip, so that
 * the node takes the transaction. Without one, the sender is a fresh random key and the nonce 0
 * unless given.
 *
 * <p>Its standard output is its product: the transaction hex alone, so that it can be used in a
 * shell substitution; what was signed goes to standard error.
 */
public final class SampleTransaction {
  private static final Address SINK = Address.fromHex("0x000000000000000000000000000000000000dead");
  private static final BigInteger VALUE = BigInteger.valueOf(1_000_000_000_000L);
  private static final BigInteger TIP = BigInteger.valueOf(2_000_000_000L);
  private static final BigInteger NO_NODE_MAX_FEE = BigInteger.valueOf(30_000_000_000L);
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);
  private static final String USAGE =
      "usage: bin/sample-tx CHAIN_ID [NONCE] [--account 0-9] [--rpc URL]   e.g. bin/sample-tx 167000";

  private SampleTransaction() {}

  /** What to sign, from the command line. */
  private record Request(ChainId chain, Long nonce, Integer account, URI rpc) {}

  /** A transaction's sender, nonce and fees, and how they were chosen. */
  private record Plan(EcdsaSigner sender, long nonce, BigInteger maxFee, String how) {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Request request;
    try {
      request = parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      System.exit(2);
      return;
    }
    Plan plan;
    try {
      plan = request.rpc() == null ? withoutNode(request) : withNode(request);
    } catch (RuntimeException e) {
      err.println("sample-tx: " + e.getMessage());
      System.exit(1);
      return;
    }
    Bytes tx =
        TransactionBuilder.on(request.chain())
            .nonce(plan.nonce())
            .to(SINK)
            .value(VALUE)
            .maxPriorityFeePerGas(TIP)
            .maxFeePerGas(plan.maxFee())
            .sign(plan.sender());
    err.println(
        "sample transfer on chain "
            + request.chain()
            + " from "
            + plan.sender().address()
            + ", nonce "
            + plan.nonce()
            + ", max fee "
            + plan.maxFee()
            + " wei ("
            + plan.how()
            + ")");
    out.println(tx.toHex());
  }

  private static Request parse(String[] args) {
    List<String> positional = new ArrayList<>();
    Integer account = null;
    URI rpc = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--account" -> account = whole("--account", value(args, ++i)).intValue();
        case "--rpc" -> rpc = URI.create(value(args, ++i));
        default -> positional.add(args[i]);
      }
    }
    if (positional.isEmpty() || positional.size() > 2) {
      throw new IllegalArgumentException("give CHAIN_ID and at most a NONCE, got: " + positional);
    }
    if (account != null && (account < 0 || account >= DevAccounts.COUNT)) {
      throw new IllegalArgumentException(
          "--account must be 0 to " + (DevAccounts.COUNT - 1) + ", got " + account);
    }
    Long nonce = positional.size() == 2 ? whole("NONCE", positional.get(1)) : null;
    return new Request(ChainId.of(whole("CHAIN_ID", positional.get(0))), nonce, account, rpc);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static Long whole(String what, String text) {
    try {
      long v = Long.parseLong(text);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, got \"" + text + "\"");
    }
  }

  private static Plan withoutNode(Request request) {
    return new Plan(
        EcdsaSigner.random(new SecureRandom()),
        request.nonce() == null ? 0 : request.nonce(),
        NO_NODE_MAX_FEE,
        "fresh random sender, no node");
  }

  private static Plan withNode(Request request) {
    int index =
        request.account() != null
            ? request.account()
            : new SecureRandom().nextInt(DevAccounts.COUNT);
    EcdsaSigner sender = DevAccounts.signer(index);
    RollupNode node =
        new JsonRpcRollupNode(
            JsonRpcClient.forRollupNode(request.rpc(), request.chain().value(), NODE_TIMEOUT));
    Uni<Plan> plan =
        Uni.combine()
            .all()
            .unis(node.chainId(), node.account(sender.address()), node.head())
            .asTuple()
            .onItem()
            .transform(t -> plan(request, index, sender, t.getItem1(), t.getItem2(), t.getItem3()));
    // A command-line tool's main thread has nothing else to do; each call has its own deadline.
    return plan.await().atMost(NODE_TIMEOUT.multipliedBy(2));
  }

  private static Plan plan(
      Request request,
      int index,
      EcdsaSigner sender,
      ChainId served,
      AccountState account,
      ChainHead head) {
    if (!served.equals(request.chain())) {
      throw new IllegalStateException(
          "the node at " + request.rpc() + " serves chain " + served + ", not " + request.chain());
    }
    long nonce = request.nonce() != null ? request.nonce() : account.pendingNonce();
    BigInteger maxFee = head.baseFeePerGasWei().shiftLeft(1).add(TIP);
    return new Plan(
        sender,
        nonce,
        maxFee,
        "development account "
            + index
            + ", "
            + (request.nonce() != null ? "nonce given" : "the node's next nonce")
            + ", base fee "
            + head.baseFeePerGasWei()
            + " wei at block "
            + head.number());
  }
}
