package io.preconf.core.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.compat.FabricCommitments.InclusionPayload;
import io.preconf.core.compat.FabricCommitments.Request;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import org.junit.jupiter.api.Test;

/**
 * The eth-fabric reference gateway's example (Hoodi, chain 560048, fork 0x10000910, signing id
 * 0x11..11; the committer is anvil's key 1), reproduced byte for byte.
 */
class FabricCommitmentsTest {
  static final String SIGNED_TX =
      "0x02f87583088bb080843b9aca008504a817c8008252089470997970c51812dc3a010c7d01b50e0d17dc79c887038d7ea4c6800080c001a0602e015865ad1a0ee33c47c66a34be7ac56c704bbc01718b012912006f300a6aa03448f0c819fa6ffced6a1465dbee3b218fc88c31e692912084efd36932775d4b";
  static final String PAYLOAD =
      "0x0000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000016e3600000000000000000000000000000000000000000000000000000000000000040000000000000000000000000000000000000000000000000000000000000007802f87583088bb080843b9aca008504a817c8008252089470997970c51812dc3a010c7d01b50e0d17dc79c887038d7ea4c6800080c001a0602e015865ad1a0ee33c47c66a34be7ac56c704bbc01718b012912006f300a6aa03448f0c819fa6ffced6a1465dbee3b218fc88c31e692912084efd36932775d4b0000000000000000";
  static final Address SLASHER = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
  static final Hash32 SIGNING_ID =
      Hash32.fromHex("0x1111111111111111111111111111111111111111111111111111111111111111");
  static final long NONCE = -2; // 2^64 - 2, Commit-Boost's default
  static final Bytes HOODI_FORK = Bytes.fromHex("fork", "0x10000910");
  static final EcdsaSigner COMMITTER =
      EcdsaSigner.fromPrivateKey(
          Bytes.fromHex(
              "key", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));

  private static final Request REQUEST =
      new Request(FabricCommitments.INCLUSION, Bytes.fromHex("payload", PAYLOAD), SLASHER);

  @Test
  void theEmptyRequestHashesAsTheReferenceTestSays() {
    Request empty = new Request(1, Bytes.EMPTY, Address.wrap(new byte[20]));
    assertThat(FabricCommitments.requestHash(empty).toHex())
        .isEqualTo("0xf61a6130b6ebfffcb3738e03fe820e4b883b623ec3ab7657ffbf385b2e94edba");
  }

  @Test
  void theInclusionPayloadReadsAndWritesTheSameBytes() {
    InclusionPayload p = InclusionPayload.decode(Bytes.fromHex("payload", PAYLOAD));
    assertThat(p.slot()).isEqualTo(1_500_000);
    assertThat(p.signedTx().toHex()).isEqualTo(SIGNED_TX);
    assertThat(p.encode().toHex()).isEqualTo(PAYLOAD);
  }

  @Test
  void theExamplesHashesSigningRootAndSignatureAreReproduced() {
    Hash32 requestHash = FabricCommitments.requestHash(REQUEST);
    assertThat(requestHash.toHex())
        .isEqualTo("0x21fc54afae4338f4bd4a35620d33ccd9d3614c8dc120692d8c126cb9c58ed4c3");
    Hash32 message = FabricCommitments.messageHash(REQUEST, requestHash);
    assertThat(message.toHex()).startsWith("0x5f589a0a").endsWith("18dd");

    Hash32 root = FabricCommitments.signingRoot(message, SIGNING_ID, NONCE, 560048, HOODI_FORK);

    assertThat(root.toHex())
        .isEqualTo("0x8aa48cd74151e6b0ec55c4868d1b4dcaa1242a45ee7e554264138100c06383c1");
    assertThat(COMMITTER.sign(root).toHex())
        .isEqualTo(
            "0xe801d68da201e21d4a855acde4a48a8b14d21bd632b0bc873c0b68ad1d085a25"
                + "1342cb89c85216705cc861f5b11b7215f71a1d6ce4526573abc5464ad8fa9b6a"
                + "1b");
  }

  @Test
  void theFeePayloadIsTheRequestHashThenThePrice() {
    Hash32 h = Hash32.fromHex("0x" + "ab".repeat(32));
    assertThat(FabricCommitments.feePayload(h, 21_000).toHex())
        .isEqualTo("0x" + "ab".repeat(32) + "0".repeat(60) + "5208");
  }

  @Test
  void aPayloadOutOfItsCanonicalFormIsRefusedNamingWhatIsWrong() {
    byte[] p = Bytes.fromHex("payload", PAYLOAD).toArray();
    assertThatThrownBy(() -> InclusionPayload.decode(Bytes.wrap(new byte[3])))
        .isInstanceOf(MalformedValueException.class)
        .hasMessageContaining("got 3 bytes");
    byte[] badOffset = p.clone();
    badOffset[95] = 0x60;
    assertThatThrownBy(() -> InclusionPayload.decode(Bytes.wrap(badOffset)))
        .hasMessageContaining("got 32 and 96");
    byte[] badLength = p.clone();
    badLength[127] = (byte) 0x81;
    assertThatThrownBy(() -> InclusionPayload.decode(Bytes.wrap(badLength)))
        .hasMessageContaining("129 bytes");
    byte[] dirtyPadding = p.clone();
    dirtyPadding[p.length - 1] = 1;
    assertThatThrownBy(() -> InclusionPayload.decode(Bytes.wrap(dirtyPadding)))
        .hasMessageContaining("non-zero byte");
  }
}
