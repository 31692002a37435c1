package io.preconf.core.tx;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds and signs rollup transactions: for samples a newcomer can submit, for tests and for the
 * load generator. Encodes legacy EIP-155, EIP-2930 and EIP-1559.
 */
public final class TransactionBuilder {
  private TxType type = TxType.DYNAMIC_FEE;
  private ChainId chainId;
  private long nonce;
  private long gasLimit = 21_000;
  private BigInteger maxFeePerGas = BigInteger.valueOf(2_000_000_000L);
  private BigInteger maxPriorityFeePerGas = BigInteger.valueOf(1_000_000_000L);
  private Address to;
  private BigInteger value = BigInteger.ZERO;
  private byte[] data = new byte[0];
  private List<AccessListEntry> accessList = List.of();

  private TransactionBuilder(ChainId chainId) {
    this.chainId = chainId;
  }

  public static TransactionBuilder on(ChainId chainId) {
    return new TransactionBuilder(chainId);
  }

  public TransactionBuilder type(TxType type) {
    this.type = type;
    return this;
  }

  public TransactionBuilder nonce(long nonce) {
    this.nonce = nonce;
    return this;
  }

  public TransactionBuilder gasLimit(long gasLimit) {
    this.gasLimit = gasLimit;
    return this;
  }

  /** For legacy and type 1 transactions this is the gas price. */
  public TransactionBuilder maxFeePerGas(BigInteger wei) {
    this.maxFeePerGas = wei;
    return this;
  }

  public TransactionBuilder maxPriorityFeePerGas(BigInteger wei) {
    this.maxPriorityFeePerGas = wei;
    return this;
  }

  /** The recipient; null creates a contract with {@link #data} as init code. */
  public TransactionBuilder to(Address to) {
    this.to = to;
    return this;
  }

  public TransactionBuilder value(BigInteger wei) {
    this.value = wei;
    return this;
  }

  public TransactionBuilder data(byte[] data) {
    this.data = data.clone();
    return this;
  }

  /** The EIP-2930 access list of a type 1 or type 2 transaction; legacy ones have none. */
  public TransactionBuilder accessList(List<AccessListEntry> entries) {
    this.accessList = List.copyOf(entries);
    return this;
  }

  /** The signed envelope, as {@code eth_sendRawTransaction} takes it. */
  public Bytes sign(EcdsaSigner key) {
    if (type == TxType.LEGACY && !accessList.isEmpty()) {
      throw new IllegalStateException("a legacy transaction has no access list");
    }
    List<byte[]> fields = unsignedFields();
    byte[] signingPayload;
    if (type == TxType.LEGACY) {
      List<byte[]> forSigning = new ArrayList<>(fields);
      forSigning.add(RlpEncoder.integer(chainId.value()));
      forSigning.add(RlpEncoder.integer(0));
      forSigning.add(RlpEncoder.integer(0));
      signingPayload = RlpEncoder.list(forSigning);
    } else {
      signingPayload = typed(RlpEncoder.list(fields));
    }
    Hash32 signingHash = Keccak.hash(signingPayload);
    byte[] sig = key.sign(signingHash).toArray();
    int yParity = (sig[64] & 0xff) - 27;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    List<byte[]> signed = new ArrayList<>(fields);
    if (type == TxType.LEGACY) {
      signed.add(RlpEncoder.integer(chainId.value() * 2 + 35 + yParity));
    } else {
      signed.add(RlpEncoder.integer(yParity));
    }
    signed.add(RlpEncoder.integer(r));
    signed.add(RlpEncoder.integer(s));
    byte[] body = RlpEncoder.list(signed);
    return Bytes.wrap(type == TxType.LEGACY ? body : typed(body));
  }

  private List<byte[]> unsignedFields() {
    byte[] toField = RlpEncoder.string(to == null ? new byte[0] : to.toArray());
    List<byte[]> f = new ArrayList<>(9);
    switch (type) {
      case LEGACY -> {
        f.add(RlpEncoder.integer(nonce));
        f.add(RlpEncoder.integer(maxFeePerGas));
        f.add(RlpEncoder.integer(gasLimit));
        f.add(toField);
        f.add(RlpEncoder.integer(value));
        f.add(RlpEncoder.string(data));
      }
      case ACCESS_LIST -> {
        f.add(RlpEncoder.integer(chainId.value()));
        f.add(RlpEncoder.integer(nonce));
        f.add(RlpEncoder.integer(maxFeePerGas));
        f.add(RlpEncoder.integer(gasLimit));
        f.add(toField);
        f.add(RlpEncoder.integer(value));
        f.add(RlpEncoder.string(data));
        f.add(encodedAccessList());
      }
      case DYNAMIC_FEE -> {
        f.add(RlpEncoder.integer(chainId.value()));
        f.add(RlpEncoder.integer(nonce));
        f.add(RlpEncoder.integer(maxPriorityFeePerGas));
        f.add(RlpEncoder.integer(maxFeePerGas));
        f.add(RlpEncoder.integer(gasLimit));
        f.add(toField);
        f.add(RlpEncoder.integer(value));
        f.add(RlpEncoder.string(data));
        f.add(encodedAccessList());
      }
    }
    return f;
  }

  private byte[] encodedAccessList() {
    List<byte[]> entries = new ArrayList<>(accessList.size());
    for (AccessListEntry entry : accessList) {
      List<byte[]> keys = new ArrayList<>(entry.storageKeys().size());
      for (Hash32 key : entry.storageKeys()) {
        keys.add(RlpEncoder.string(key.toArray()));
      }
      entries.add(
          RlpEncoder.list(
              List.of(RlpEncoder.string(entry.address().toArray()), RlpEncoder.list(keys))));
    }
    return RlpEncoder.list(entries);
  }

  private byte[] typed(byte[] rlp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rlp.length + 1);
    out.write(type.typeByte());
    out.writeBytes(rlp);
    return out.toByteArray();
  }
}
