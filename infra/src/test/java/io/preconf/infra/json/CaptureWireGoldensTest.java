package io.preconf.infra.json;

import static io.preconf.wire.WireSamples.*;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.infra.redis.RedisStatusLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes what the infra encoders make of the wire samples into wire-json's golden files, so that
 * the codecs replacing them can be held to the same bytes.
 */
class CaptureWireGoldensTest {
  static final Path GOLDEN = Path.of("../wire-json/src/test/resources/golden");

  static List<Preconfirmation> preconfirmations() {
    List<Preconfirmation> all = new ArrayList<>(List.of(single(), singleWithPq()));
    all.addAll(batch(false));
    all.addAll(batch(true));
    return all;
  }

  static void write(String name, List<String> lines) throws Exception {
    Files.createDirectories(GOLDEN);
    Files.write(GOLDEN.resolve(name), lines, StandardCharsets.UTF_8);
  }

  @Test
  void capture() throws Exception {
    write(
        "preconfirmation.jsonl",
        preconfirmations().stream().map(PreconfirmationJson::toJson).toList());
    write("status-change.jsonl", statusChanges().stream().map(RedisStatusLog::toJson).toList());
    write("evidence.jsonl", evidence().stream().map(EvidenceJson::toJson).toList());
  }
}
