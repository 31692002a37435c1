package io.preconf.core.testing;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.LeafEncoding;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Values for the ports' tests: random hashes and addresses, claims and what is recorded for them.
 */
public final class Samples {
  public static final long GAS = 21_000;
  public static final long SLOT = 100;

  // Chain ids unique across runs too (a database keeps its rows): time in ms, times 1000, plus a
  // counter; well under 2^53.
  private static final AtomicLong CHAINS = new AtomicLong(System.currentTimeMillis() * 1000);

  private Samples() {}

  /** A chain no other test, in this run or an earlier one, has used. */
  public static ChainId uniqueChain() {
    return ChainId.of(CHAINS.incrementAndGet());
  }

  public static Hash32 randomHash() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return Hash32.wrap(b);
  }

  public static Address randomAddress() {
    byte[] b = new byte[20];
    ThreadLocalRandom.current().nextBytes(b);
    return Address.wrap(b);
  }

  /** A claim on slot {@link #SLOT} with room for far more than any test sends. */
  public static LaneClaim claim(ChainId chain, Hash32 tx, Address sender, long nonce) {
    return new LaneClaim(chain, tx, sender, nonce, GAS, SLOT, 1_000_000, 1_000_000_000_000L);
  }

  public static LaneClaim claim(
      ChainId chain, Hash32 tx, Address sender, long nonce, long gas, int maxPer, long maxGas) {
    return new LaneClaim(chain, tx, sender, nonce, gas, SLOT, maxPer, maxGas);
  }

  /**
   * A claim on slot {@link #SLOT} of a rollup whose senders are checked on its node: the node holds
   * the sender at {@code nodeNonce} with {@code balance} wei, its base fee may reach 10 wei by the
   * slot, the transaction pays up to 20 wei per gas and costs {@code cost} wei; its promise holds
   * for {@code holdMs}.
   */
  public static LaneClaim checked(
      ChainId chain,
      Hash32 tx,
      Address sender,
      long nonce,
      long nodeNonce,
      BigInteger balance,
      BigInteger cost,
      long holdMs) {
    return new LaneClaim(
        chain,
        tx,
        sender,
        nonce,
        GAS,
        SLOT,
        SLOT,
        1_000_000,
        1_000_000_000_000L,
        new LaneClaim.StateCheck(
            nodeNonce, balance, BigInteger.TEN, BigInteger.valueOf(20), cost, holdMs));
  }

  /**
   * A single-leaf preconfirmation for an assigned position: its id and its commitment's root are
   * the leaf's hash, its signature random bytes (these values test storage, not signing).
   */
  public static Preconfirmation preconfirmation(LanePosition pos, Address sender, long nonce) {
    Leaf leaf =
        new Leaf(
            pos.chainId(),
            pos.txHash(),
            sender,
            nonce,
            pos.sequence(),
            pos.previous(),
            pos.receivedAt(),
            SLOT);
    Hash32 id = LeafEncoding.leafHash(leaf);
    byte[] sig = new byte[65];
    ThreadLocalRandom.current().nextBytes(sig);
    sig[64] = 27;
    long now = System.currentTimeMillis();
    Commitment c =
        new Commitment(id, now, now + 3_600_000, false, randomAddress(), Bytes.wrap(sig), null);
    return new Preconfirmation(id, leaf, List.of(), c);
  }

  /** {@code c} with {@code pq} as its ML-DSA-65 signature, everything else the same. */
  public static Commitment withPqSignature(Commitment c, Bytes pq) {
    return new Commitment(
        c.root(), c.issuedAt(), c.expiresAt(), c.atomic(), c.signer(), c.signature(), pq);
  }

  /**
   * Stand-in signed bytes for a preconfirmation made here: a type-2 prefix and the tx hash (storage
   * and the lane log keep bytes, they do not decode them).
   */
  public static Bytes signedBytes(Preconfirmation p) {
    byte[] b = new byte[33];
    b[0] = 0x02;
    System.arraycopy(p.txHash().toArray(), 0, b, 1, 32);
    return Bytes.wrap(b);
  }

  /** Each preconfirmation with its {@link #signedBytes}. */
  public static List<PromisedTransaction> kept(List<Preconfirmation> issued) {
    return issued.stream().map(p -> new PromisedTransaction(p, signedBytes(p))).toList();
  }

  /**
   * The lane entry a log or archive answers for {@code p} published or recorded with {@link #kept}.
   */
  public static LaneEntry.Issued entry(Preconfirmation p) {
    return new LaneEntry.Issued(p.sequence(), p, signedBytes(p));
  }
}
