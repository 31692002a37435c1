package io.preconf.feed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many feed subscribers on a few threads, for the latency benchmark: plain NIO sockets, the RFC
 * 6455 opening handshake, then the server's frames (never masked, section 5.1) parsed where they
 * lie in each connection's buffer. A feed subscriber only listens, so nothing is written after the
 * handshake. It does as little per frame as a client can, because the subscribers share the
 * machine's cores with the node they measure; real subscribers are elsewhere.
 */
final class RawSubscribers implements AutoCloseable {
  /** Told about each complete frame, on the thread that read it. */
  interface Sink {
    /**
     * @param payload the frame's payload, valid only during the call
     * @param arrivedNanos {@link System#nanoTime()} when the read that completed it returned
     */
    void frame(int subscriber, int opcode, ByteBuffer payload, long arrivedNanos);
  }

  private static final int BUFFER_BYTES = 16 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<SocketChannel> channels = new ArrayList<>();
  private final List<Selector> selectors = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final Set<Long> threadIds = ConcurrentHashMap.newKeySet();
  private final Sink sink;
  private volatile boolean running = true;

  private RawSubscribers(Sink sink) {
    this.sink = sink;
  }

  /** One subscriber's socket and what it has read and not parsed yet. */
  private static final class Connection {
    final int index;
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);

    Connection(int index) {
      this.index = index;
    }
  }

  /**
   * Opens {@code count} subscribers to {@code path} (with its query), spread over {@code threads}
   * reading threads, and returns once every handshake has been answered with 101.
   */
  static RawSubscribers open(
      InetSocketAddress server, String path, int count, int threads, Sink sink) throws IOException {
    RawSubscribers s = new RawSubscribers(sink);
    try {
      for (int t = 0; t < threads; t++) {
        s.selectors.add(Selector.open());
      }
      for (int i = 0; i < count; i++) {
        Connection c = new Connection(i);
        SocketChannel ch = s.handshake(server, path, c.buffer);
        Selector selector = s.selectors.get(i % threads);
        ch.register(selector, SelectionKey.OP_READ, c);
      }
      for (int t = 0; t < threads; t++) {
        Selector selector = s.selectors.get(t);
        Thread reader = new Thread(() -> s.read(selector), "feed-subscribers-" + t);
        reader.setDaemon(true);
        s.readers.add(reader);
        reader.start();
        s.threadIds.add(reader.getId());
      }
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The reading threads' ids, to tell their CPU from the node's. */
  Set<Long> threadIds() {
    return threadIds;
  }

  private SocketChannel handshake(InetSocketAddress server, String path, ByteBuffer buffer)
      throws IOException {
    SocketChannel ch = SocketChannel.open(server);
    channels.add(ch);
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + server.getHostString()
            + ":"
            + server.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    while (out.hasRemaining()) {
      ch.write(out);
    }
    int end;
    while ((end = headerEnd(buffer)) < 0) {
      if (!buffer.hasRemaining() || ch.read(buffer) < 0) {
        throw new IOException("the feed closed or overflowed the handshake of " + path);
      }
    }
    byte[] head = new byte[end];
    buffer.get(0, head);
    String response = new String(head, StandardCharsets.US_ASCII);
    if (!response.startsWith("HTTP/1.1 101")) {
      throw new IOException("the feed refused " + path + ": " + response.lines().findFirst());
    }
    // Bytes after the response are frames already; keep them for the reader.
    buffer.flip().position(end);
    buffer.compact();
    ch.configureBlocking(false);
    return ch;
  }

  /** Where the response's header ends (after the blank line), or -1. */
  private static int headerEnd(ByteBuffer b) {
    for (int i = 3; i < b.position(); i++) {
      if (b.get(i - 3) == '\r'
          && b.get(i - 2) == '\n'
          && b.get(i - 1) == '\r'
          && b.get(i) == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  private void read(Selector selector) {
    try {
      while (running) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          Connection c = (Connection) key.attachment();
          int n = ((SocketChannel) key.channel()).read(c.buffer);
          if (n < 0) {
            key.cancel();
          } else {
            parse(c, System.nanoTime());
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      if (running) {
        throw new IllegalStateException("a subscriber's read failed", e);
      }
    }
  }

  /** Hands every complete frame in the buffer to the sink and keeps the incomplete rest. */
  private void parse(Connection c, long now) {
    ByteBuffer b = c.buffer.flip();
    while (b.remaining() >= 2) {
      int at = b.position();
      int first = b.get(at) & 0xff;
      int second = b.get(at + 1) & 0xff;
      if ((second & 0x80) != 0) {
        throw new IllegalStateException("a masked frame from the server (RFC 6455 5.1)");
      }
      int header = 2;
      long length = second & 0x7f;
      if (length == 126) {
        header = 4;
        length = b.remaining() < header ? -1 : b.getShort(at + 2) & 0xffff;
      } else if (length == 127) {
        header = 10;
        length = b.remaining() < header ? -1 : b.getLong(at + 2);
      }
      if (length < 0 || b.remaining() < header + length) {
        if (header + length > b.capacity()) {
          c.buffer = ByteBuffer.allocateDirect((int) (header + length)).put(b);
          return;
        }
        break;
      }
      int start = at + header;
      sink.frame(c.index, first & 0x0f, b.slice(start, (int) length), now);
      b.position(start + (int) length);
    }
    b.compact();
  }

  @Override
  public void close() {
    running = false;
    for (Selector s : selectors) {
      s.wakeup();
    }
    for (Thread t : readers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (SocketChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    for (Selector s : selectors) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
