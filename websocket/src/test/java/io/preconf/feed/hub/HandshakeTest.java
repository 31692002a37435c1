package io.preconf.feed.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain unit tests: which address a connection counts against. */
class HandshakeTest {

  @Test
  void thePeerCountsWithoutAnAddressHeader() {
    assertThat(new Handshake(null, null, List.of(), "10.0.0.7").clientAddress())
        .isEqualTo("10.0.0.7");
  }

  @Test
  void theLastForwardedAddressCountsNotWhatTheClientClaimedBeforeIt() {
    Handshake h =
        new Handshake(null, null, List.of("1.2.3.4, 5.6.7.8", "203.0.113.9 "), "10.0.0.2");
    assertThat(h.clientAddress()).isEqualTo("203.0.113.9");
  }

  @Test
  void portsAreDroppedFromPeerAddressesIncludingIpv6() {
    assertThat(Handshake.withoutPort("127.0.0.1:53412")).isEqualTo("127.0.0.1");
    assertThat(Handshake.withoutPort("0:0:0:0:0:0:0:1:53412")).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(Handshake.withoutPort("[::1]:53412")).isEqualTo("::1");
  }
}
