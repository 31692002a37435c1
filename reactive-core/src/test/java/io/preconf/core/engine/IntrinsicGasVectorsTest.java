package io.preconf.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.Vectors;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.ChainId;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The least gas a real node (anvil, on revm) mines each transaction with, found by {@code
 * vectors/intrinsic-gas.mjs}: the engine takes each transaction with exactly that gas and refuses
 * it with one gas less, on a Prague rollup and on one before Prague.
 */
class IntrinsicGasVectorsTest {

  record Vector(
      String name,
      boolean prague,
      long intrinsicGas,
      long gasUsed,
      int dataSize,
      int zeroDataBytes,
      int accessListAddresses,
      int accessListStorageKeys,
      boolean contractCreation,
      String atIntrinsicGas,
      String oneGasShort,
      String anvilError,
      String refusal) {}

  record Refusal(
      String name, boolean prague, String raw, String anvilError, String refusal, String reason) {}

  record File(String generator, long chainId, List<Vector> vectors, List<Refusal> refusals) {}

  private static final File FILE = load();

  @Test
  void vectorsCoverEveryTermOnBothSidesOfPrague() {
    List<Vector> vectors = FILE.vectors();
    assertThat(vectors).extracting(Vector::prague).contains(true, false);
    assertThat(vectors).anyMatch(v -> v.contractCreation() && v.dataSize() > 32);
    assertThat(vectors).anyMatch(v -> v.zeroDataBytes() > 0 && v.zeroDataBytes() < v.dataSize());
    assertThat(vectors).anyMatch(v -> v.accessListStorageKeys() > v.accessListAddresses());
    assertThat(vectors)
        .as("on Prague, some transactions are held to the call-data floor")
        .anyMatch(v -> v.prague() && v.anvilError().contains("GasFloorMoreThanGasLimit"));
    assertThat(vectors)
        .as("the node spent exactly the intrinsic gas: nothing ran")
        .allMatch(v -> v.gasUsed() == v.intrinsicGas());
  }

  @TestFactory
  Stream<DynamicTest> takesEachTransactionWithTheGasAnvilNeededAndRefusesOneLess() {
    return FILE.vectors().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> check(v)));
  }

  @TestFactory
  Stream<DynamicTest> refusesWhatAnvilRefusesWhateverItsGas() {
    return FILE.refusals().stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r.name() + " -> " + r.reason(),
                    () -> {
                      Result<RollupConfig> result =
                          rules(r.prague()).check(decoded(r.raw(), r.name()));
                      assertThat(result.isOk()).isFalse();
                      assertThat(result.rejection().reason())
                          .as(result.rejection().message())
                          .isEqualTo(Reason.valueOf(r.reason()));
                    }));
  }

  private static void check(Vector v) {
    DecodedTransaction enough = decoded(v.atIntrinsicGas(), v.name());
    assertThat(enough.gasLimit()).isEqualTo(v.intrinsicGas());
    assertThat(enough.dataSize()).isEqualTo(v.dataSize());
    assertThat(enough.zeroDataBytes()).isEqualTo(v.zeroDataBytes());
    assertThat(enough.accessListAddresses()).isEqualTo(v.accessListAddresses());
    assertThat(enough.accessListStorageKeys()).isEqualTo(v.accessListStorageKeys());
    assertThat(enough.isContractCreation()).isEqualTo(v.contractCreation());
    assertThat(IntrinsicGas.required(enough, v.prague())).isEqualTo(v.intrinsicGas());

    TransactionRules rules = rules(v.prague());
    Result<RollupConfig> taken = rules.check(enough);
    assertThat(taken.isOk()).as(() -> taken.isOk() ? "" : taken.rejection().toString()).isTrue();

    DecodedTransaction short1 = decoded(v.oneGasShort(), v.name());
    Result<RollupConfig> refused = rules.check(short1);
    assertThat(refused.isOk()).as("took gas %d", short1.gasLimit()).isFalse();
    Rejection r = refused.rejection();
    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.INTRINSIC_GAS_TOO_LOW);
    assertThat(r.message())
        .contains(
            "gas limit " + (v.intrinsicGas() - 1), "below the intrinsic gas " + v.intrinsicGas());
    assertThat(r.message().contains("EIP-7623"))
        .as("the message says the floor decided exactly when anvil does: %s", v.anvilError())
        .isEqualTo(v.anvilError().contains("GasFloorMoreThanGasLimit"));
  }

  private static TransactionRules rules(boolean prague) {
    RollupConfig rollup =
        RollupConfig.builder(
                ChainId.of(FILE.chainId()), prague ? "anvil-prague" : "anvil-cancun", 0)
            .minPriorityFeeWei(BigInteger.ZERO)
            .prague(prague)
            .build();
    return new TransactionRules(Rollups.of(List.of(rollup)), EngineConfig.defaults());
  }

  private static DecodedTransaction decoded(String raw, String name) {
    Result<DecodedTransaction> result = TransactionDecoder.decodeHex(raw);
    assertThat(result.isOk())
        .as(() -> name + ": " + (result.isOk() ? "" : result.rejection()))
        .isTrue();
    return result.value();
  }

  private static File load() {
    try {
      return new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .treeToValue(Vectors.load("intrinsic-gas.json"), File.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("vectors/intrinsic-gas.json does not have its shape", e);
    }
  }
}
