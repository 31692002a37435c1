package io.preconf.core.commit;

import static io.preconf.core.crypto.Vectors.hash;
import static io.preconf.core.crypto.Vectors.uint64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.crypto.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommitmentTypedDataTest {
  private static final JsonNode VECTORS = Vectors.load("eip712.json");

  static List<JsonNode> cases() {
    return Vectors.list(VECTORS.get("cases"));
  }

  @Test
  void domainSeparatorEqualsEthersHashDomain() {
    assertThat(CommitmentTypedData.DOMAIN_SEPARATOR)
        .isEqualTo(hash(VECTORS.get("domainSeparator")));
  }

  @Test
  void typeStringAndHashEqualEthersEncodeType() {
    assertThat(CommitmentTypedData.COMMITMENT_TYPE).isEqualTo(VECTORS.get("encodeType").asText());
    assertThat(CommitmentTypedData.COMMITMENT_TYPE_HASH)
        .isEqualTo(hash(VECTORS.get("commitmentTypeHash")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void digestEqualsEthersTypedDataHash(JsonNode c) {
    assertThat(
            CommitmentTypedData.digest(
                hash(c.get("root")),
                uint64(c.get("issuedAt")),
                uint64(c.get("expiresAt")),
                c.get("atomic").asBoolean()))
        .isEqualTo(hash(c.get("digest")));
  }

  @Test
  void atomicFlagChangesTheDigest() {
    JsonNode c = cases().get(1);
    var root = hash(c.get("root"));
    long issued = uint64(c.get("issuedAt"));
    long expires = uint64(c.get("expiresAt"));

    assertThat(CommitmentTypedData.digest(root, issued, expires, true))
        .isNotEqualTo(CommitmentTypedData.digest(root, issued, expires, false));
  }
}
