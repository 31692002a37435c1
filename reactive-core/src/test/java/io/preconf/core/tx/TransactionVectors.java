package io.preconf.core.tx;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The ethers-produced vectors in {@code vectors/transactions.json}; see {@code transactions.mjs}.
 */
final class TransactionVectors {

  record Vector(
      String name,
      String raw,
      String hash,
      String from,
      int type,
      long chainId,
      long nonce,
      String gasLimit,
      String maxFeePerGas,
      String maxPriorityFeePerGas,
      String to,
      String value,
      int dataSize) {
    @Override
    public String toString() {
      return name;
    }
  }

  record RejectionCase(String name, String raw, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  record File(String generator, List<Vector> vectors, List<RejectionCase> rejections) {}

  private static final File FILE = load();

  private TransactionVectors() {}

  static List<Vector> vectors() {
    return FILE.vectors();
  }

  static List<RejectionCase> rejections() {
    return FILE.rejections();
  }

  private static File load() {
    try (InputStream in =
        TransactionVectors.class.getResourceAsStream("/vectors/transactions.json")) {
      if (in == null) {
        throw new IllegalStateException("vectors/transactions.json is not on the test classpath");
      }
      return new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .readValue(in, File.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
