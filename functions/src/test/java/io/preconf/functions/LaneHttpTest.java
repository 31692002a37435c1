package io.preconf.functions;

import static io.preconf.functions.Txs.ALPHA;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The block builders' pull API over HTTP against real Redis and PostgreSQL: a lane from a sequence
 * and for a slot, paged by its cursor, the signed bytes only for a caller with a key, and bad input
 * coded and named. The lane is shared with other tests, so entries are found by their sequences
 * rather than assumed to start at 1.
 */
@QuarkusTest
@QuarkusTestResource(LocalServers.class)
class LaneHttpTest {
  private static final String KEY = "test-builder-key"; // %test.preconf.builders.api-keys

  @TestHTTPResource("/")
  URL url;

  private RequestSpecification http() {
    return given().port(url.getPort()).contentType(ContentType.JSON);
  }

  private JsonPath lane(String key, Map<String, Object> body) {
    RequestSpecification r = http();
    if (key != null) {
      r = r.header("X-Api-Key", key);
    }
    return r.body(body).post("/lane").then().statusCode(200).extract().jsonPath();
  }

  /** Three transfers promised on alpha, each with its raw bytes and sequence, in lane order. */
  private List<Map<String, Object>> promiseThree(Long targetSlot) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String raw = Txs.transfer(ALPHA);
      Map<String, Object> body = new HashMap<>();
      body.put("transactions", List.of(raw));
      if (targetSlot != null) {
        body.put("targetSlot", targetSlot);
      }
      JsonPath p =
          http().body(body).post("/preconfirm").then().statusCode(200).extract().jsonPath();
      assertThat(p.getList("rejected")).isEmpty();
      out.add(
          Map.of(
              "raw", raw,
              "txHash", p.getString("preconfirmations[0].txHash"),
              "id", p.getString("preconfirmations[0].id"),
              "sequence", p.getLong("preconfirmations[0].sequence")));
    }
    return out;
  }

  private static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The entry with this sequence in the answer, or null. */
  private static Map<String, Object> at(JsonPath answer, long sequence) {
    List<Map<String, Object>> entries = answer.getList("entries");
    for (Map<String, Object> e : entries) {
      if (((Number) e.get("sequence")).longValue() == sequence) {
        return e;
      }
    }
    return null;
  }

  @Test
  void aBuilderWithAKeyPullsTheLaneFromASequenceWithTheSignedBytesPageByPage() {
    List<Map<String, Object>> promised = promiseThree(null);
    long first = (Long) promised.get(0).get("sequence");

    JsonPath page = lane(KEY, body("chainId", ALPHA.value(), "from", first, "limit", 1));

    assertThat(page.getLong("chainId")).isEqualTo(ALPHA.value());
    assertThat(page.getList("entries")).hasSize(1);
    Map<String, Object> e = at(page, first);
    assertThat(e)
        .containsEntry("txHash", promised.get(0).get("txHash"))
        .containsEntry("id", promised.get(0).get("id"))
        .containsEntry("status", "PRECONFIRMED")
        .containsEntry("signedTransaction", promised.get(0).get("raw"));
    assertThat(page.getLong("next")).isEqualTo(first + 1);

    // Following the cursor reaches the other two, in lane order, each with its bytes.
    List<Map<String, Object>> seen = new ArrayList<>();
    long next = page.getLong("next");
    long last = (Long) promised.get(2).get("sequence");
    while (next <= last) {
      JsonPath more = lane(KEY, body("chainId", ALPHA.value(), "from", next, "limit", 2));
      List<Map<String, Object>> entries = more.getList("entries");
      assertThat(entries).isNotEmpty();
      assertThat(((Number) entries.get(0).get("sequence")).longValue()).isEqualTo(next);
      seen.addAll(entries);
      next = more.getLong("next");
    }
    List<Object> ours =
        seen.stream()
            .filter(x -> promised.stream().anyMatch(p -> p.get("txHash").equals(x.get("txHash"))))
            .map(x -> x.get("signedTransaction"))
            .toList();
    assertThat(ours).containsExactly(promised.get(1).get("raw"), promised.get(2).get("raw"));
  }

  @Test
  void withoutAKeyTheEntriesComeWithoutTheBytesOfTransactionsNotYetIncluded() {
    List<Map<String, Object>> promised = promiseThree(null);
    long first = (Long) promised.get(0).get("sequence");

    JsonPath page = lane(null, body("chainId", ALPHA.value(), "from", first, "limit", 3));

    Map<String, Object> e = at(page, first);
    assertThat(e).containsEntry("txHash", promised.get(0).get("txHash"));
    assertThat(e).doesNotContainKey("signedTransaction");
  }

  @Test
  void aSlotsPromisesComeAloneForThatSlot() {
    long slot =
        http()
                .body(Map.of())
                .post("/info")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("rollups.find { it.chainId == 167000 }.currentSlot")
            + 20;
    List<Map<String, Object>> inSlot = promiseThree(slot);
    List<Map<String, Object>> otherSlot = promiseThree(slot + 1);

    JsonPath page =
        lane(
            KEY,
            body(
                "chainId",
                ALPHA.value(),
                "targetSlot",
                slot,
                "from",
                inSlot.get(0).get("sequence"),
                "limit",
                1000));

    List<Object> hashes = page.getList("entries.txHash");
    assertThat(hashes)
        .containsAll(inSlot.stream().map(p -> p.get("txHash")).toList())
        .doesNotContainAnyElementsOf(otherSlot.stream().map(p -> p.get("txHash")).toList());
  }

  @Test
  void badInputIsCodedAndNamesTheValue() {
    assertRefused(lane(KEY, body("chainId", ALPHA.value(), "from", 0)), "OUT_OF_RANGE", "from 0");
    assertRefused(
        lane(KEY, body("chainId", ALPHA.value(), "limit", 5000)), "OUT_OF_RANGE", "limit 5000");
    assertRefused(lane(KEY, body("chainId", 999)), "UNSUPPORTED_CHAIN", "chain id 999");
    assertRefused(
        lane(KEY, body("chainId", ALPHA.value(), "from", "one")), "MALFORMED_REQUEST", "\"one\"");
    assertRefused(lane(KEY, body("chainId", ALPHA.value(), "cursor", 3)), null, "cursor");
    assertRefused(
        lane("wrong-key-123", body("chainId", ALPHA.value())), "UNKNOWN_API_KEY", "\"wron…\"");
  }

  private static void assertRefused(JsonPath answer, String reason, String named) {
    assertThat(answer.getList("entries")).isEmpty();
    assertThat(answer.getString("error.code")).isEqualTo("VALIDATION_FAILED");
    if (reason != null) {
      assertThat(answer.getString("error.reason")).isEqualTo(reason);
    }
    assertThat(answer.getString("error.message")).contains(named);
  }
}
