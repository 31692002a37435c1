package io.preconf.infra.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.error.RejectedException;
import io.preconf.core.port.BlockSource;
import io.preconf.core.types.ChainId;
import io.preconf.core.wire.WireBlock;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A rollup node over Ethereum JSON-RPC: {@code eth_blockNumber} and {@code
 * eth_getBlockByNumber(number, false)}, whose hex quantities become the numbers {@code reconcile}
 * takes (the header's {@code timestamp}, in seconds, gives the slot). Failures come back as a
 * {@link RejectedException} carrying BACKEND_UNAVAILABLE and naming the node.
 */
public final class JsonRpcBlockSource implements BlockSource {
  private final ChainId chain;
  private final JsonRpcClient rpc;

  public JsonRpcBlockSource(ChainId chain, JsonRpcClient rpc) {
    this.chain = chain;
    this.rpc = rpc;
  }

  public JsonRpcBlockSource(ChainId chain, URI url, Duration timeout) {
    this(chain, JsonRpcClient.forRollupNode(url, chain.value(), timeout));
  }

  @Override
  public Uni<OptionalLong> latest() {
    return rpc.call(JsonRpcClient.Call.of("eth_blockNumber"))
        .onItem()
        .transform(
            r -> r.isNull() ? OptionalLong.empty() : OptionalLong.of(rpc.number(r, "result")));
  }

  @Override
  public Uni<Optional<WireBlock>> byNumber(long number) {
    return rpc.call(
            JsonRpcClient.Call.of("eth_getBlockByNumber", "0x" + Long.toHexString(number), false))
        .onItem()
        .transform(r -> r.isNull() ? Optional.<WireBlock>empty() : Optional.of(block(r)));
  }

  private WireBlock block(JsonNode b) {
    List<String> txs = new ArrayList<>();
    for (JsonNode t : b.path("transactions")) {
      // Hashes with full=false; a node that sends objects anyway still names each by its hash.
      txs.add(t.isTextual() ? t.asText() : t.path("hash").asText(null));
    }
    return new WireBlock(
        chain.value(),
        rpc.number(b.get("number"), "number"),
        b.path("hash").asText(null),
        b.path("parentHash").asText(null),
        null,
        rpc.number(b.get("timestamp"), "timestamp"),
        txs);
  }
}
