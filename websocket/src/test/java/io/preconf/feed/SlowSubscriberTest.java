package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading fills its socket, then its buffer on the node (128 frames in the
 * test profile), and is cut with close code 4008 and where to resume; one beside it that reads gets
 * everything, and the cut one loses nothing by resuming where the reason says.
 */
@QuarkusTest
@WithTestResource(FeedServers.class)
class SlowSubscriberTest extends FeedTestBase {
  private static final Pattern TOO_SLOW =
      Pattern.compile("subscriber too slow: (\\d+) messages unsent; reconnect with from=(\\d+)");

  @Test
  void aSlowSubscriberIsCutWithWhereToResumeAndAFastOneBesideItMissesNothing() {
    FeedClient fast = subscribe("chainId=" + alpha);
    FeedClient slow = track(FeedClient.connectSmallBuffer(vertx, port(), "chainId=" + alpha));
    slow.pause();
    awaitSubscribers(node, 2);

    // Preconfirm until the node gives up on the slow one: its socket buffers take a few hundred
    // frames first. Bounded, so that a node that never cuts fails the test instead of hanging.
    List<Long> issued = new ArrayList<>();
    for (int round = 0; round < 80 && node.connections() == 2; round++) {
      issued.addAll(sequences(engine().issue(alpha, 25), alpha));
    }
    awaitTrue("the slow subscriber to be cut", () -> node.connections() == 1);
    issued.addAll(sequences(engine().issue(alpha, 5), alpha));

    awaitReceived(fast, alpha, issued.size());
    settle();
    assertThat(fast.sequences(alpha.value())).isEqualTo(issued);
    assertThat(fast.isClosed()).isFalse();

    slow.resume();
    assertThat(slow.awaitClose(FeedClient.WAIT)).isTrue();
    assertThat(slow.closeCode()).isEqualTo((short) 4008);
    Matcher m = TOO_SLOW.matcher(slow.closeReason());
    assertThat(m.matches()).as("close reason: %s", slow.closeReason()).isTrue();
    List<Long> got = slow.sequences(alpha.value());
    long from = Long.parseLong(m.group(2));
    assertThat(got).as("a prefix of the lane, in order").isEqualTo(issued.subList(0, got.size()));
    assertThat(from).isEqualTo(got.get(got.size() - 1) + 1);
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(128);

    FeedClient resumed = subscribe("chainId=" + alpha + "&from=" + from);
    List<Long> rest = issued.subList(got.size(), issued.size());
    awaitReceived(resumed, alpha, rest.size());
    settle();
    assertThat(resumed.sequences(alpha.value())).isEqualTo(rest);
  }
}
