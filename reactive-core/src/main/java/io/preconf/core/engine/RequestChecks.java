package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.INVALID_TRANSACTION;
import static io.preconf.core.error.ErrorCode.MEV_PROTECTION_FAILED;
import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.Hex;
import io.preconf.core.types.MalformedValueException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The checks a request and each of its transactions pass before any lane is touched. */
final class RequestChecks {
  private final EngineConfig config;
  private final TransactionRules rules;
  private final Secp256k1Backend secp256k1;

  RequestChecks(EngineConfig config, TransactionRules rules, Secp256k1Backend secp256k1) {
    this.config = config;
    this.rules = rules;
    this.secp256k1 = secp256k1;
  }

  /** Problems with the request as a whole; empty when it may proceed. */
  Optional<Rejection> checkRequest(PreconfirmRequest request) {
    if (request == null || request.transactions() == null) {
      return Optional.of(
          Rejection.of(
              VALIDATION_FAILED, Reason.MISSING_FIELD, "field \"transactions\" is missing"));
    }
    int n = request.transactions().size();
    if (n == 0) {
      return Optional.of(
          Rejection.of(
              VALIDATION_FAILED,
              Reason.EMPTY_REQUEST,
              "\"transactions\" is empty: send at least one signed transaction"));
    }
    if (n > config.maxTransactionsPerRequest()) {
      return Optional.of(
          Rejection.of(
              VALIDATION_FAILED,
              Reason.TOO_MANY_TRANSACTIONS,
              "request carries "
                  + n
                  + " transactions, above the limit of "
                  + config.maxTransactionsPerRequest()));
    }
    if (request.targetSlot() != null && request.targetSlot() < 0) {
      return Optional.of(
          Rejection.of(
              VALIDATION_FAILED,
              Reason.OUT_OF_RANGE,
              "targetSlot must not be negative, got " + request.targetSlot()));
    }
    return Optional.empty();
  }

  /** Decodes, recovers and checks one transaction against its rollup. CPU-bound. */
  Result<Leg> decodeOne(int index, String hex, Long requestedSlot, long nowMs) {
    if (hex == null) {
      return Result.err(
          INVALID_TRANSACTION, Reason.MISSING_FIELD, "transactions[" + index + "] is null");
    }
    byte[] raw;
    try {
      raw = Hex.decode("transactions[" + index + "]", hex);
    } catch (MalformedValueException e) {
      return Result.err(INVALID_TRANSACTION, Reason.MALFORMED_HEX, e.getMessage());
    }
    Optional<Rejection> tooLarge = rules.checkSize(raw.length);
    if (tooLarge.isPresent()) {
      return Result.err(tooLarge.get());
    }
    Result<DecodedTransaction> decoded =
        TransactionDecoder.decode(io.preconf.core.types.Bytes.wrap(raw), secp256k1);
    if (!decoded.isOk()) {
      return Result.err(decoded.rejection());
    }
    DecodedTransaction tx = decoded.value();
    Result<RollupConfig> rollup = rules.check(tx);
    if (!rollup.isOk()) {
      return Result.err(rollup.rejection());
    }
    Result<TargetSlots> slots = rules.targetSlots(rollup.value(), requestedSlot, nowMs);
    if (!slots.isOk()) {
      return Result.err(slots.rejection());
    }
    return Result.ok(new Leg(index, tx, rollup.value(), slots.value()));
  }

  /**
   * Checks the legs of one request against each other: the same transaction twice, two transactions
   * for one (chain, sender, nonce), and, with MEV protection, one sender's nonces out of order
   * within a lane (the lane would then promise an order no block can honour).
   */
  List<Result<Leg>> crossCheck(List<Result<Leg>> legs) {
    if (legs.size() < 2) {
      return legs;
    }
    List<Result<Leg>> out = new ArrayList<>(legs);
    Map<TxKey, Integer> byHash = new HashMap<>();
    Map<NonceKey, Integer> byNonce = new HashMap<>();
    Map<SenderKey, Leg> lastOfSender = new HashMap<>();
    for (int i = 0; i < legs.size(); i++) {
      Result<Leg> r = legs.get(i);
      if (!r.isOk()) {
        continue;
      }
      DecodedTransaction tx = r.value().tx();
      Integer first = byHash.putIfAbsent(new TxKey(tx.chainId(), tx.txHash()), i);
      if (first != null) {
        out.set(
            i,
            Result.err(
                INVALID_TRANSACTION,
                Reason.DUPLICATE_IN_REQUEST,
                "transaction "
                    + tx.txHash()
                    + " appears twice in the request, at indexes "
                    + first
                    + " and "
                    + i));
        continue;
      }
      Integer sameNonce =
          byNonce.putIfAbsent(new NonceKey(tx.chainId(), tx.sender(), tx.nonce()), i);
      if (sameNonce != null) {
        out.set(
            i,
            Result.err(
                INVALID_TRANSACTION,
                Reason.NONCE_CONFLICT,
                "sender "
                    + tx.sender()
                    + " nonce "
                    + tx.nonce()
                    + " on chain "
                    + tx.chainId()
                    + " is used by transactions at indexes "
                    + sameNonce
                    + " and "
                    + i));
        continue;
      }
      if (config.mevProtection()) {
        SenderKey sender = new SenderKey(tx.chainId(), tx.sender());
        Leg before = lastOfSender.get(sender);
        if (before != null && before.tx().nonce() > tx.nonce()) {
          out.set(
              i,
              Result.err(
                  MEV_PROTECTION_FAILED,
                  Reason.NONCE_ORDER,
                  "sender "
                      + tx.sender()
                      + " nonce "
                      + tx.nonce()
                      + " at index "
                      + i
                      + " comes after its nonce "
                      + before.tx().nonce()
                      + " at index "
                      + before.index()
                      + " on chain "
                      + tx.chainId()
                      + ": a lane must hold one sender's nonces in ascending order"));
          continue;
        }
        lastOfSender.put(sender, r.value());
      }
    }
    return out;
  }

  private record TxKey(ChainId chainId, Hash32 txHash) {}

  private record NonceKey(ChainId chainId, Address sender, long nonce) {}

  private record SenderKey(ChainId chainId, Address sender) {}
}
