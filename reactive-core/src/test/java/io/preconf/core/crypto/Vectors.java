package io.preconf.core.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the known-answer vectors in {@code src/test/resources/vectors}, written by {@code
 * reactive-core/vectors/crypto.mjs} from ethers, @openzeppelin/merkle-tree and @noble/post-quantum.
 */
public final class Vectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Vectors() {}

  public static JsonNode load(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /vectors/" + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  public static Hash32 hash(JsonNode node) {
    return Hash32.fromHex(node.asText());
  }

  public static Bytes bytes(JsonNode node) {
    return Bytes.fromHex("vector", node.asText());
  }

  /** A uint64 written as a decimal string, as the Java long with the same 64 bits. */
  public static long uint64(JsonNode node) {
    return Long.parseUnsignedLong(node.asText());
  }

  public static List<Hash32> hashes(JsonNode array) {
    return list(array).stream().map(Vectors::hash).toList();
  }
}
