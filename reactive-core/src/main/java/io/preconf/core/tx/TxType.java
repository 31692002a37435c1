package io.preconf.core.tx;

/** The EIP-2718 transaction types the engine preconfirms. */
public enum TxType {
  /** Legacy with EIP-155 replay protection. */
  LEGACY(-1),
  /** EIP-2930 access-list transaction. */
  ACCESS_LIST(1),
  /** EIP-1559 dynamic-fee transaction. */
  DYNAMIC_FEE(2);

  private final int typeByte;

  TxType(int typeByte) {
    this.typeByte = typeByte;
  }

  /** The envelope's leading type byte, or -1 for legacy (no type byte). */
  public int typeByte() {
    return typeByte;
  }
}
