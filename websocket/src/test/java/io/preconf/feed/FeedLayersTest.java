package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The feed reads through the core's feed ports: only the wiring classes may name an infra adapter
 * or a backend's client, so that no feed class speaks Redis or SQL again behind the ports' back.
 */
class FeedLayersTest {
  private static final Path MAIN = Path.of("src/main/java/io/preconf/feed");

  /**
   * The files that may reach a backend, and how far: only the wiring (the feed's, and delivery's,
   * which builds the forwarders from the lease, the ledger and the node adapters).
   */
  private static final Map<String, String> ALLOWED =
      Map.of("FeedBeans.java", "", "DeliveryBeans.java", "");

  private static final List<String> BACKENDS =
      List.of("io.preconf.infra.", "io.vertx.mutiny.redis.", "io.vertx.redis.", "org.hibernate.");

  @Test
  void onlyTheWiringClassReachesTheAdapters() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(MAIN)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).toList();
    }
    assertThat(sources).as("the feed's sources under %s", MAIN.toAbsolutePath()).isNotEmpty();
    for (Path f : sources) {
      String allowed = ALLOWED.get(f.getFileName().toString());
      for (String line : Files.readAllLines(f)) {
        if (!line.startsWith("import ")) {
          continue;
        }
        String imported = line.substring("import ".length()).replace("static ", "");
        boolean backend = BACKENDS.stream().anyMatch(imported::startsWith);
        if (backend && (allowed == null || !imported.startsWith(allowed))) {
          throw new AssertionError(MAIN.relativize(f) + " reaches past the feed ports: " + line);
        }
      }
    }
  }
}
