package io.preconf.feed.hub;

import io.preconf.wire.ForwardedFor;
import java.util.List;

/**
 * What the feed reads from a connection's opening request.
 *
 * @param query the raw query string, without {@code ?}; null when there is none
 * @param apiKeyHeader the {@code X-Api-Key} header, or null
 * @param addressHeader every value of the configured client address header (for example {@code
 *     X-Forwarded-For}), in order; empty when absent or not configured
 * @param peerAddress the socket's peer host
 */
public record Handshake(
    String query, String apiKeyHeader, List<String> addressHeader, String peerAddress) {
  public Handshake {
    addressHeader = addressHeader == null ? List.of() : List.copyOf(addressHeader);
  }

  /**
   * The client's address: the last entry of the address header when there is one (what the proxy
   * nearest to us saw; earlier entries are whatever the client claimed), else the peer.
   */
  public String clientAddress() {
    return ForwardedFor.clientAddress(addressHeader, peerAddress);
  }

  /** The host of "host:port" as WebSockets Next formats a peer ("::1" too ends in ":port"). */
  public static String withoutPort(String hostAndPort) {
    if (hostAndPort == null) {
      return "unknown";
    }
    int colon = hostAndPort.lastIndexOf(':');
    String host = colon > 0 ? hostAndPort.substring(0, colon) : hostAndPort;
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
