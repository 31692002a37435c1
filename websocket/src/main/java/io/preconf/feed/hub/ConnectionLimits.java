package io.preconf.feed.hub;

import io.preconf.feed.request.Refusal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many connections each client may hold on this node: per client address, or, for a client that
 * presents an API key, per key with the key's own limit; and a ceiling for the node.
 *
 * <p>Keys are looked up by their hash, so that comparing a guess with a stored key takes the same
 * time whatever the guess.
 */
final class ConnectionLimits {
  /** A held slot; give it back with {@link #release}. */
  record Ticket(String bucket) {}

  /** Either a ticket or why there is none. */
  record Admission(Ticket ticket, Refusal refusal) {}

  private final int perAddress;
  private final int total;
  private final boolean requireKey;
  private final Map<String, FeedNode.ApiKeyLimit> keysByHash = new HashMap<>();
  private final Map<String, Integer> held = new ConcurrentHashMap<>();
  private final AtomicInteger all = new AtomicInteger();

  ConnectionLimits(FeedNode.Settings settings) {
    this.perAddress = settings.maxConnectionsPerAddress();
    this.total = settings.maxConnections();
    this.requireKey = settings.requireApiKey();
    for (FeedNode.ApiKeyLimit k : settings.apiKeys()) {
      keysByHash.put(hash(k.key()), k);
    }
  }

  int open() {
    return all.get();
  }

  Admission acquire(String clientAddress, String apiKey) {
    String bucket;
    int limit;
    String who;
    if (apiKey != null && !apiKey.isEmpty()) {
      FeedNode.ApiKeyLimit key = keysByHash.get(hash(apiKey));
      if (key == null) {
        return new Admission(null, Refusal.unknownApiKey());
      }
      bucket = "key:" + key.name();
      limit = key.maxConnections();
      who = "API key " + key.name();
    } else if (requireKey) {
      return new Admission(null, Refusal.apiKeyRequired());
    } else {
      bucket = "address:" + clientAddress;
      limit = perAddress;
      who = "client address " + clientAddress;
    }
    if (all.incrementAndGet() > total) {
      all.decrementAndGet();
      return new Admission(
          null,
          Refusal.connectionLimit(
              "this feed node holds its maximum of " + total + " connections; try another"));
    }
    boolean[] taken = {false};
    held.compute(
        bucket,
        (b, n) -> {
          int count = n == null ? 0 : n;
          if (count >= limit) {
            return n;
          }
          taken[0] = true;
          return count + 1;
        });
    if (!taken[0]) {
      all.decrementAndGet();
      return new Admission(
          null,
          Refusal.connectionLimit(
              who + " already holds its maximum of " + limit + " open connections"));
    }
    return new Admission(new Ticket(bucket), null);
  }

  void release(Ticket ticket) {
    all.decrementAndGet();
    held.computeIfPresent(ticket.bucket(), (b, n) -> n <= 1 ? null : n - 1);
  }

  private static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
