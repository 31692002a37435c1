package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashListTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesWhatJacksonWritesForTheSameStringsAndReadsItBack() throws Exception {
    for (int n : new int[] {0, 1, 3}) {
      List<Hash32> hashes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        hashes.add(WireSamples.hash(50 + i));
      }
      String json = HashList.toJson(hashes);
      assertThat(json)
          .isEqualTo(JSON.writeValueAsString(hashes.stream().map(Hash32::toHex).toList()));
      assertThat(HashList.toTree(hashes).toString()).isEqualTo(json);
      assertThat(HashList.fromJson("proof", json)).isEqualTo(hashes);
    }
  }
}
