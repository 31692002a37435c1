package io.preconf.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bolt's example request (Holesky, slot 3,000,000; the user is anvil's key 0, the sidecar anvil's
 * key 1), as bolt-sidecar v0.4.0-alpha computes and signs it.
 */
class BoltSignaturesTest {
  static final String TX =
      "0x02f8748242688084773594008506fc23ac008252089470997970c51812dc3a010c7d01b50e0d17dc79c887038d7ea4c6800080c080a07a7368dbabf36e9a2f3c2c12713496af7ba89f0c07cf3e43e141ec0c72fe0784a0121dd9773f9e5c83a4703c809283dbfd63e0f14f9b4ee68bc9456577c008ac22";
  static final long SLOT = 3_000_000;
  static final String USER_SIGNATURE =
      "0xee3e65753b51d972c50051674d15e380d704b1c2302f086c6c38e94dec142ad823b3ca6a4f63e6f00d9e986e78d2866ae647035ced0f81b7b8f81164401e9d9f00";
  static final String SIDECAR_SIGNATURE =
      "0x8cbfd16e81e6841647d1dbb0301b4acd2c385ac9924226b7b0c950c53d8e16117b2ec31f599ede972a595628d508eb67a119947d14fceebac92765f8c7e258ef00";
  static final Address USER = Address.fromHex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  static final EcdsaSigner SIDECAR =
      EcdsaSigner.fromPrivateKey(
          Bytes.fromHex(
              "key", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));

  private static final Secp256k1Backend CURVE = Secp256k1Backend.bouncyCastle();

  private static Hash32 digest() {
    Hash32 txHash = Keccak.hash(Bytes.fromHex("tx", TX).unsafeArray());
    assertThat(txHash.toHex())
        .isEqualTo("0x099c1edcbeedcb618c51f18d61a121193b4a727c98e7d89305155f9e046c9490");
    return BoltSignatures.digest(List.of(txHash), SLOT);
  }

  @Test
  void theDigestIsTheTxHashesThenTheSlotLittleEndian() {
    assertThat(digest().toHex())
        .isEqualTo("0x259eb58ff0dc2096383d7a42acd11e246ecb397313109e456b916b202f06a011");
  }

  @Test
  void theSidecarsSignatureIsReproducedWithARecoveryIdForV() {
    assertThat(BoltSignatures.sign(SIDECAR, digest()).toHex()).isEqualTo(SIDECAR_SIGNATURE);
  }

  @Test
  void theUsersHeaderSignatureRecoversInEveryFormOfV() {
    byte[] sig = Bytes.fromHex("sig", USER_SIGNATURE).toArray();
    for (int v : new int[] {0, 27, 35 + 2 * 17000}) {
      sig[64] = (byte) v;
      assertThat(BoltSignatures.recover(digest(), Bytes.wrap(sig.clone()), CURVE))
          .as("v = %d", v & 0xff)
          .contains(USER);
    }
  }

  @Test
  void aSignatureOfAnotherSlotDoesNotRecoverTheUser() {
    Hash32 other =
        BoltSignatures.digest(
            List.of(Keccak.hash(Bytes.fromHex("tx", TX).unsafeArray())), SLOT + 1);
    assertThat(BoltSignatures.recover(other, Bytes.fromHex("sig", USER_SIGNATURE), CURVE))
        .isNotEqualTo(java.util.Optional.of(USER));
  }

  @Test
  void malformedSignaturesRecoverNobody() {
    byte[] sig = Bytes.fromHex("sig", USER_SIGNATURE).toArray();
    sig[64] = 29;
    assertThat(BoltSignatures.recover(digest(), Bytes.wrap(sig), CURVE)).isEmpty();
    assertThat(BoltSignatures.recover(digest(), Bytes.wrap(new byte[64]), CURVE)).isEmpty();
    assertThat(BoltSignatures.recover(digest(), Bytes.wrap(new byte[65]), CURVE)).isEmpty();
  }
}
