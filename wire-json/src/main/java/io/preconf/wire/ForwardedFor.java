package io.preconf.wire;

import java.util.List;

/**
 * A client's address behind proxies, from a header such as {@code X-Forwarded-For} that each proxy
 * appends the address it saw to, as the feed's connection limits and the functions' rate limits
 * both count clients.
 */
public final class ForwardedFor {
  private ForwardedFor() {}

  /**
   * The last entry of the header's values (what the proxy nearest to us saw; earlier entries are
   * whatever the client claimed), else {@code peer}.
   *
   * @param values every value of the header, in order; empty when absent or not configured
   */
  public static String clientAddress(List<String> values, String peer) {
    for (int i = values.size() - 1; i >= 0; i--) {
      String[] parts = values.get(i).split(",");
      for (int j = parts.length - 1; j >= 0; j--) {
        String a = parts[j].trim();
        if (!a.isEmpty()) {
          return a;
        }
      }
    }
    return peer;
  }
}
