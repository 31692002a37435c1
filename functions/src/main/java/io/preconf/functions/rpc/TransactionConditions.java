package io.preconf.functions.rpc;

import static io.preconf.wire.JsonRpcCodec.INVALID_PARAMS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.preconf.core.node.NodeReply;
import io.preconf.core.node.RollupNode;
import io.preconf.core.types.Address;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.wire.JsonRpcCodec;
import io.smallrye.mutiny.Uni;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The conditions of {@code eth_sendRawTransactionConditional} (<a
 * href="https://eips.ethereum.org/EIPS/eip-7796">ERC-7796</a>): accounts' storage roots or slot
 * values, and bounds on the block number and timestamp. They are checked against the node's latest
 * block before anything is promised: a condition that does not hold there is refused with -32003,
 * and conditions costing more reads than the bound with -32005, as the ERC says.
 *
 * @param storageRoots the storage root each account must have
 * @param slots the value each listed storage slot of an account must hold
 */
record TransactionConditions(
    Map<Address, Hash32> storageRoots,
    Map<Address, Map<Hash32, Hash32>> slots,
    BigInteger blockNumberMin,
    BigInteger blockNumberMax,
    BigInteger timestampMin,
    BigInteger timestampMax) {

  /** ERC-7796: the transaction's conditions do not hold. */
  static final int REJECTED = -32003;

  /** ERC-7796: checking the conditions would cost more than the engine allows. */
  static final int LIMIT_EXCEEDED = -32005;

  private static final Set<String> MEMBERS =
      Set.of("knownAccounts", "blockNumberMin", "blockNumberMax", "timestampMin", "timestampMax");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Reads {@code options}, naming the first bad value; more than {@code maxReads} accounts and
   * slots together is refused with {@link #LIMIT_EXCEEDED}.
   */
  static TransactionConditions read(String method, JsonNode options, int maxReads) {
    String where = "params[1] of " + method;
    if (options == null || !options.isObject()) {
      throw bad(where + " must be the conditions object, got " + options);
    }
    options
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (!MEMBERS.contains(f)) {
                throw bad(where + " holds \"" + f + "\", not a condition checked here; " + MEMBERS);
              }
            });
    Map<Address, Hash32> roots = new TreeMap<>(TransactionConditions::byHex);
    Map<Address, Map<Hash32, Hash32>> slots = new TreeMap<>(TransactionConditions::byHex);
    JsonNode known = options.get("knownAccounts");
    int reads = 0;
    if (known != null && !known.isNull()) {
      if (!known.isObject()) {
        throw bad(where + ": knownAccounts must be an object by address, got " + known);
      }
      for (var it = known.fields(); it.hasNext(); ) {
        var account = it.next();
        Address address = parse(() -> Address.fromHex("knownAccounts key", account.getKey()));
        JsonNode expected = account.getValue();
        if (expected.isTextual()) {
          roots.put(address, hash("knownAccounts." + account.getKey(), expected));
          reads++;
        } else if (expected.isObject()) {
          Map<Hash32, Hash32> values = new TreeMap<>();
          for (var s = expected.fields(); s.hasNext(); ) {
            var slot = s.next();
            String name = "knownAccounts." + account.getKey() + "." + slot.getKey();
            values.put(hash(name, NODES.textNode(slot.getKey())), hash(name, slot.getValue()));
            reads++;
          }
          slots.put(address, values);
        } else {
          throw bad(
              "knownAccounts."
                  + account.getKey()
                  + " must be a storage root or an object of slot values, got "
                  + expected);
        }
      }
    }
    if (reads > maxReads) {
      throw new RpcError(
          LIMIT_EXCEEDED,
          "knownAccounts names "
              + reads
              + " storage roots and slots, more than the "
              + maxReads
              + " checked per transaction");
    }
    return new TransactionConditions(
        roots,
        slots,
        quantity(options, "blockNumberMin"),
        quantity(options, "blockNumberMax"),
        quantity(options, "timestampMin"),
        quantity(options, "timestampMax"));
  }

  /** Completes when every condition holds at the node's latest block; fails with -32003 if not. */
  Uni<Void> check(RollupNode node) {
    List<Uni<Void>> checks = new ArrayList<>();
    checks.add(
        read(node, "eth_getBlockByNumber", "[\"latest\",false]")
            .onItem()
            .invoke(this::checkBlock)
            .replaceWithVoid());
    storageRoots.forEach(
        (address, root) ->
            checks.add(
                read(node, "eth_getProof", "[\"" + address.toHex() + "\",[],\"latest\"]")
                    .onItem()
                    .invoke(
                        proof ->
                            same(
                                "the storage root of " + address,
                                root,
                                proof.path("storageHash").asText()))
                    .replaceWithVoid()));
    slots.forEach(
        (address, values) ->
            values.forEach(
                (slot, value) ->
                    checks.add(
                        read(
                                node,
                                "eth_getStorageAt",
                                "[\"" + address.toHex() + "\",\"" + slot.toHex() + "\",\"latest\"]")
                            .onItem()
                            .invoke(
                                stored ->
                                    same("slot " + slot + " of " + address, value, stored.asText()))
                            .replaceWithVoid())));
    return Uni.join().all(checks).andFailFast().replaceWithVoid();
  }

  private void checkBlock(JsonNode block) {
    BigInteger number = new BigInteger(block.path("number").asText("0x0").substring(2), 16);
    BigInteger time = new BigInteger(block.path("timestamp").asText("0x0").substring(2), 16);
    bound("block number", number, blockNumberMin, blockNumberMax);
    bound("timestamp", time, timestampMin, timestampMax);
  }

  private static void bound(String what, BigInteger at, BigInteger min, BigInteger max) {
    if (min != null && at.compareTo(min) < 0) {
      throw new RpcError(
          REJECTED,
          "Transaction rejected: the latest " + what + " is " + at + ", below the minimum " + min);
    }
    if (max != null && at.compareTo(max) > 0) {
      throw new RpcError(
          REJECTED,
          "Transaction rejected: the latest " + what + " is " + at + ", above the maximum " + max);
    }
  }

  private static void same(String what, Hash32 expected, String actual) {
    Hash32 is = Hash32.wrap(new byte[32]);
    try {
      is = Hash32.fromHex(what, leftPad(actual));
    } catch (MalformedValueException e) {
      throw new RpcError(
          REJECTED, "Transaction rejected: the node gave " + actual + " for " + what);
    }
    if (!is.equals(expected)) {
      throw new RpcError(
          REJECTED, "Transaction rejected: " + what + " is " + is + ", not " + expected);
    }
  }

  private static Uni<JsonNode> read(RollupNode node, String method, String params) {
    return node.read(method, params)
        .onItem()
        .transform(
            reply -> {
              if (reply instanceof NodeReply.Result r) {
                return JsonRpcCodec.tree(r.json());
              }
              NodeReply.Error e = (NodeReply.Error) reply;
              throw new RpcError(
                  (int) e.code(), "the node could not check the conditions: " + e.message());
            });
  }

  private static BigInteger quantity(JsonNode options, String field) {
    JsonNode v = options.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.bigIntegerValue().signum() >= 0) {
      return v.bigIntegerValue();
    }
    if (v.isTextual() && v.asText().matches("0x[0-9a-fA-F]{1,64}")) {
      return new BigInteger(v.asText().substring(2), 16);
    }
    throw bad(field + " must be a quantity (0x hex), got " + v);
  }

  private static Hash32 hash(String what, JsonNode v) {
    if (!v.isTextual() || !v.asText().matches("0x[0-9a-fA-F]{1,64}")) {
      throw bad(what + " must be 32 bytes as 0x hex, got " + v);
    }
    return Hash32.fromHex(what, leftPad(v.asText()));
  }

  /** A quantity or a shorter hex string as the 32-byte word it stands for. */
  private static String leftPad(String hex) {
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    return "0x" + "0".repeat(Math.max(0, 64 - digits.length())) + digits;
  }

  private static <T> T parse(java.util.function.Supplier<T> reading) {
    try {
      return reading.get();
    } catch (MalformedValueException e) {
      throw bad(e.getMessage());
    }
  }

  private static int byHex(Address a, Address b) {
    return a.toHex().compareTo(b.toHex());
  }

  private static RpcError bad(String message) {
    return new RpcError(INVALID_PARAMS, message);
  }
}
