package io.preconf.feed.hub;

import static io.preconf.wire.WireSamples.*;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.feed.request.Refusal;
import io.preconf.infra.redis.RedisStatusLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writes the feed's frames for the wire samples into wire-json's golden files. */
class CaptureFeedGoldensTest {
  @Test
  void capture() throws Exception {
    List<Preconfirmation> ps = new ArrayList<>(List.of(single(), singleWithPq()));
    ps.addAll(batch(true));
    List<String> lines = new ArrayList<>();
    ps.forEach(p -> lines.add(Messages.preconfirmation(p).text()));
    statusChanges().forEach(c -> lines.add(Messages.status(RedisStatusLog.toJson(c)).text()));
    lines.add(Messages.heartbeat(NOW).text());
    rejections().forEach(r -> lines.add(Messages.error(Refusal.of(r)).text()));
    lines.add(Messages.error(Refusal.connectionLimit("8 connections from 127.0.0.1")).text());
    lines.add(Messages.error(Refusal.unknownApiKey()).text());
    Path golden = Path.of("../wire-json/src/test/resources/golden");
    Files.createDirectories(golden);
    Files.write(golden.resolve("feed.jsonl"), lines, StandardCharsets.UTF_8);
  }
}
