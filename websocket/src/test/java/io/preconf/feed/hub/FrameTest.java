package io.preconf.feed.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain unit tests: a frame's wire bytes are what Netty's own RFC 6455 server encoder makes of the
 * same text, at every length encoding (7-bit, 16-bit, 64-bit), and a client's decoder reads them
 * back.
 */
class FrameTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 7_423, 65_535, 65_536, 70_000})
  void wireBytesAreWhatNettysServerEncoderWrites(int length) {
    // Two-byte UTF-8 characters: the length that counts is in bytes, not chars.
    String text = "é".repeat(length / 2) + "x".repeat(length % 2);
    Frame frame = Frame.text(text);

    assertThat(bytes(frame.wire().duplicate())).isEqualTo(nettyServerFrame(text));
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 300, 70_000})
  void aClientDecoderReadsTheTextBack(int length) {
    String text = "{\"type\":\"heartbeat\",\"pad\":\"" + "a".repeat(length) + "\"}";
    EmbeddedChannel client =
        new EmbeddedChannel(
            new WebSocket08FrameDecoder(
                WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(false)
                    .maxFramePayloadLength(1 << 20)
                    .build()));
    client.writeInbound(Unpooled.wrappedBuffer(Frame.text(text).wire().duplicate()));

    TextWebSocketFrame got = client.readInbound();
    assertThat(got.isFinalFragment()).isTrue();
    assertThat(got.text()).isEqualTo(text);
    got.release();
  }

  @Test
  void theSharedBytesCannotBeWrittenAndADuplicateLeavesThemWhole() {
    Frame frame = Frame.text("{\"type\":\"heartbeat\",\"time\":1}");
    ByteBuffer first = frame.wire().duplicate();
    first.position(first.limit()); // as a socket write leaves it

    assertThat(frame.wire().isReadOnly()).isTrue();
    assertThat(frame.wire().isDirect()).isTrue();
    assertThat(frame.wire().remaining()).isEqualTo(2 + frame.utf8().length);
    assertThat(frame.wire()).isSameAs(frame.wire());
  }

  private static byte[] nettyServerFrame(String text) {
    EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    server.writeOutbound(new TextWebSocketFrame(text));
    ByteBuf out = Unpooled.buffer();
    for (ByteBuf part; (part = server.readOutbound()) != null; ) {
      out.writeBytes(part);
      part.release();
    }
    return ByteBufUtil.getBytes(out);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
