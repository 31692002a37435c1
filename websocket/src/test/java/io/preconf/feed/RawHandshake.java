package io.preconf.feed;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An opening handshake written byte for byte (RFC 6455, 4.1), for request targets that a WebSocket
 * client library would refuse to send, such as a query that is not valid percent-encoding; then
 * what the server answers: its status line and, after a 101, its text frames and close frame (a
 * server's frames are never masked, 5.1).
 *
 * @param status the status code of the server's answer
 * @param accept the answer's Sec-WebSocket-Accept header, or null
 * @param body the body of an answer other than 101, as text
 * @param frames the text frames received before the close frame
 * @param closeCode the close frame's code, or -1 when none came
 * @param closeReason the close frame's reason
 */
record RawHandshake(
    int status,
    String accept,
    String body,
    List<JsonObject> frames,
    int closeCode,
    String closeReason) {

  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  /** RFC 6455's own example (1.3): the accept value a server must answer {@link #KEY} with. */
  static final String EXPECTED_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  static RawHandshake send(int port, String target) throws IOException {
    return exchange(
        port,
        target,
        "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + KEY
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n");
  }

  /** A plain GET of {@code target}, no upgrade asked. */
  static RawHandshake plain(int port, String target) throws IOException {
    return exchange(port, target, "");
  }

  private static RawHandshake exchange(int port, String target, String headers) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      int length = 0;
      String accept = null;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        String name = header.substring(0, header.indexOf(':')).trim().toLowerCase();
        String value = header.substring(header.indexOf(':') + 1).trim();
        if (name.equals("content-length")) {
          length = Integer.parseInt(value);
        } else if (name.equals("sec-websocket-accept")) {
          accept = value;
        }
      }
      if (status != 101) {
        byte[] body = new byte[length];
        in.readFully(body);
        return new RawHandshake(
            status, accept, new String(body, StandardCharsets.UTF_8), List.of(), -1, "");
      }
      return frames(accept, in);
    }
  }

  /** Text frames until the close frame (or the end of the stream). */
  private static RawHandshake frames(String accept, DataInputStream in) throws IOException {
    List<JsonObject> frames = new ArrayList<>();
    try {
      while (true) {
        int opcode = in.readUnsignedByte() & 0x0f;
        long length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (opcode == 0x1) {
          frames.add(new JsonObject(new String(payload, StandardCharsets.UTF_8)));
        } else if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
          String reason =
              payload.length > 2
                  ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                  : "";
          return new RawHandshake(101, accept, "", frames, code, reason);
        }
      }
    } catch (EOFException e) {
      return new RawHandshake(101, accept, "", frames, -1, "");
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("the server closed within its answer's head");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
