package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalServers;
import io.preconf.infra.rpc.DevAccounts;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code preconfirm} over HTTP on a rollup whose node the configuration names: the senders are
 * checked there, and what no block could include is refused with its reason.
 */
@QuarkusTest
@TestProfile(CheckedAnvilRollup.Profile.class)
@QuarkusTestResource(LocalServers.class)
class StateChecksHttpTest {
  private static final ChainId CHAIN = CheckedAnvilRollup.CHAIN;
  private static final Duration CALL = Duration.ofSeconds(10);

  @TestHTTPResource("/")
  URL url;

  private JsonPath preconfirm(String tx) {
    return FunctionCall.post(url, "preconfirm", Map.of("transactions", List.of(tx)));
  }

  @Test
  void aFundedSenderAtItsNextNonceIsPromisedAndAnUnfundedOneIsRefused() {
    EcdsaSigner dev = DevAccounts.signer(3);
    JsonRpcRollupNode node =
        new JsonRpcRollupNode(
            JsonRpcClient.forRollupNode(CheckedAnvilRollup.node.url(), CHAIN.value(), CALL));
    long nonce = node.account(dev.address()).await().atMost(CALL).nonce();
    EcdsaSigner unfunded = Senders.fresh();

    JsonPath promised = preconfirm(Senders.transfer(CHAIN, dev, nonce, 1).toHex());
    JsonPath refused = preconfirm(Senders.transfer(CHAIN, unfunded, 0, 1).toHex());
    JsonPath gap = preconfirm(Senders.transfer(CHAIN, dev, nonce + 2, 1).toHex());

    assertThat(promised.getList("preconfirmations")).as(promised.prettify()).hasSize(1);
    assertThat(refused.getList("preconfirmations")).isEmpty();
    assertThat(refused.getString("rejected[0].code")).isEqualTo("INVALID_TRANSACTION");
    assertThat(refused.getString("rejected[0].reason")).isEqualTo("INSUFFICIENT_BALANCE");
    assertThat(refused.getString("rejected[0].message"))
        .startsWith("sender " + unfunded.address().toHex() + " on chain " + CHAIN)
        .endsWith("above its balance of 0 wei on the rollup's node");
    assertThat(gap.getString("rejected[0].reason")).isEqualTo("NONCE_GAP");
    assertThat(gap.getString("rejected[0].message"))
        .contains("its next nonce is " + (nonce + 1) + " (" + nonce + " on the rollup's node");
  }
}
