package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.ChainId;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The delivery benchmark's bodies: senders taken in turn, each sender's nonces counting up in file
 * order (what a node includes without gaps), each hash that of the signed bytes in the body.
 */
class RequestBodiesTest {
  @Test
  void sendersTakeTurnsWithTheirNoncesInFileOrder() throws Exception {
    ChainId chain = ChainId.of(1672101);
    RequestBodies.Senders s =
        RequestBodies.senders(7, 3, chain, BigInteger.valueOf(10_000_000_000L));

    assertThat(s.bodies()).hasSize(7);
    assertThat(s.addresses()).hasSize(3).doesNotHaveDuplicates();
    for (int i = 0; i < 7; i++) {
      String raw =
          new ObjectMapper().readTree(s.bodies().get(i)).path("transactions").path(0).asText();
      DecodedTransaction tx = TransactionDecoder.decodeHex(raw).value();
      assertThat(tx.sender().toHex()).isEqualTo(s.addresses().get(i % 3));
      assertThat(tx.nonce()).as("body %d", i).isEqualTo(i / 3);
      assertThat(tx.chainId()).isEqualTo(chain);
      assertThat(tx.maxFeePerGas()).isEqualTo(BigInteger.valueOf(10_000_000_000L));
      assertThat(tx.txHash().toHex()).isEqualTo(s.hashes().get(i));
    }
  }
}
