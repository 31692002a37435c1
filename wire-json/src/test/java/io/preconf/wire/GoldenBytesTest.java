package io.preconf.wire;

import static io.preconf.wire.WireSamples.NOW;
import static io.preconf.wire.WireSamples.batch;
import static io.preconf.wire.WireSamples.evidence;
import static io.preconf.wire.WireSamples.finality;
import static io.preconf.wire.WireSamples.preconfirmResult;
import static io.preconf.wire.WireSamples.reconcileResults;
import static io.preconf.wire.WireSamples.recordedViolations;
import static io.preconf.wire.WireSamples.rejections;
import static io.preconf.wire.WireSamples.rollups;
import static io.preconf.wire.WireSamples.single;
import static io.preconf.wire.WireSamples.singleWithPq;
import static io.preconf.wire.WireSamples.statusChanges;
import static io.preconf.wire.WireSamples.tracked;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.status.PromiseStatus;
import io.preconf.core.types.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every codec writes exactly the bytes the engine wrote before the codecs were gathered here.
 *
 * <p>The files under {@code src/test/resources/golden} are regression fixtures captured from the
 * encoders this module replaced, run on {@link WireSamples} at commit 200ed77 (the capture tests
 * are in that commit): {@code preconfirmation}, {@code status-change} and {@code evidence} from
 * infra's {@code PreconfirmationJson}, {@code RedisStatusLog.toJson} and {@code EvidenceJson};
 * {@code feed} from the feed's {@code Messages}; the function answers from {@code Functions},
 * {@code FinalityJson}, {@code PreconfirmResponse}, {@code ValidateResponse}, {@code ErrorBody} and
 * {@code MalformedBodyHandler}, serialized by the functions' own ObjectMapper as Funqy writes them.
 * One line of a file is one sample, in the order listed here.
 */
class GoldenBytesTest {
  private static final Bytes PRECONFER_KEY =
      Bytes.fromHex("key", "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  private static final Bytes PQ_SEED =
      Bytes.fromHex("seed", "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  private static List<String> golden(String name) throws IOException {
    try (InputStream in = GoldenBytesTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as(name).isNotNull();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return List.of(text.split("\n"));
    }
  }

  private static List<Preconfirmation> preconfirmations() {
    List<Preconfirmation> all = new ArrayList<>(List.of(single(), singleWithPq()));
    all.addAll(batch(false));
    all.addAll(batch(true));
    return all;
  }

  @Test
  void preconfirmationsWithAndWithoutPqSignatureAndInBatches() throws IOException {
    assertThat(preconfirmations().stream().map(PreconfirmationCodec::toJson).toList())
        .containsExactlyElementsOf(golden("preconfirmation.jsonl"));
  }

  @Test
  void statusChangesWithAndWithoutFinalityAndReason() throws IOException {
    assertThat(statusChanges().stream().map(StatusChangeCodec::toJson).toList())
        .containsExactlyElementsOf(golden("status-change.jsonl"));
  }

  @Test
  void evidenceOfEachKind() throws IOException {
    assertThat(evidence().stream().map(EvidenceCodec::toJson).toList())
        .containsExactlyElementsOf(golden("evidence.jsonl"));
  }

  @Test
  void feedFrames() throws IOException {
    List<String> frames = new ArrayList<>();
    List<Preconfirmation> ps = new ArrayList<>(List.of(single(), singleWithPq()));
    ps.addAll(batch(true));
    ps.forEach(p -> frames.add(FeedMessages.preconfirmation(p)));
    statusChanges().forEach(c -> frames.add(FeedMessages.status(StatusChangeCodec.toJson(c))));
    frames.add(FeedMessages.heartbeat(NOW));
    rejections().forEach(r -> frames.add(FeedMessages.error(r.code(), r.reason(), r.message())));
    frames.add(
        FeedMessages.error(
            ErrorCode.SECURITY_VALIDATION_FAILED,
            Reason.CONNECTION_LIMIT,
            "8 connections from 127.0.0.1"));
    frames.add(
        FeedMessages.error(
            ErrorCode.SECURITY_VALIDATION_FAILED,
            Reason.UNKNOWN_API_KEY,
            "the API key given (X-Api-Key header or apiKey parameter) is not known here"));
    assertThat(frames).containsExactlyElementsOf(golden("feed.jsonl"));
  }

  @Test
  void errorsAndTheAnswerToAnUnreadableBody() throws IOException {
    List<String> errors = new ArrayList<>();
    rejections().forEach(r -> errors.add(ErrorCodec.toTree(r).toString()));
    errors.add(
        ErrorCodec.answer(
            Rejection.of(
                ErrorCode.VALIDATION_FAILED,
                Reason.MALFORMED_REQUEST,
                "the request body is not valid JSON: Unexpected character ('}' (code 125)):"
                    + " expected a value at line 1, column 26")));
    assertThat(errors).containsExactlyElementsOf(golden("error.jsonl"));
  }

  @Test
  void preconfirmAnswers() throws IOException {
    List<String> answers =
        List.of(
            FunctionResponses.preconfirm(preconfirmResult()).toString(),
            FunctionResponses.preconfirm(new PreconfirmResult(batch(true), List.of(), null))
                .toString(),
            FunctionResponses.preconfirm(
                    new PreconfirmResult(List.of(), List.of(), rejections().get(0)))
                .toString(),
            FunctionResponses.preconfirm(
                    new PreconfirmResult(List.of(), List.of(), rejections().get(1)))
                .toString());
    assertThat(answers).containsExactlyElementsOf(golden("preconfirm-response.jsonl"));
  }

  @Test
  void preconfirmAnswersWrittenAsTextInOnePass() throws IOException {
    List<String> answers =
        List.of(
            FunctionResponses.preconfirmText(preconfirmResult()),
            FunctionResponses.preconfirmText(new PreconfirmResult(batch(true), List.of(), null)),
            FunctionResponses.preconfirmText(
                new PreconfirmResult(List.of(), List.of(), rejections().get(0))),
            FunctionResponses.preconfirmText(
                new PreconfirmResult(List.of(), List.of(), rejections().get(1))));
    assertThat(answers).containsExactlyElementsOf(golden("preconfirm-response.jsonl"));
  }

  @Test
  void validateAnswers() throws IOException {
    assertThat(
            List.of(
                FunctionResponses.validate(List.of()).toString(),
                FunctionResponses.validate(rejections()).toString()))
        .containsExactlyElementsOf(golden("validate-response.jsonl"));
  }

  @Test
  void statusAnswersFoundAndNotFound() throws IOException {
    String tx = WireSamples.hash(20).toHex();
    List<String> answers =
        List.of(
            FunctionResponses.status(
                    found(tracked(Status.INCLUDED, finality()), recordedViolations()))
                .toString(),
            FunctionResponses.status(found(tracked(Status.PRECONFIRMED, null), List.of()))
                .toString(),
            FunctionResponses.status(
                    new PromiseStatus.NotFound(
                        Rejection.of(
                            ErrorCode.VALIDATION_FAILED,
                            Reason.NOT_FOUND,
                            "transaction "
                                + tx
                                + " on chain 167001 holds no preconfirmation: lane sequence 17 was"
                                + " reserved for it and voided because its record could not be"
                                + " written; resubmit it"),
                        OptionalLong.of(17)))
                .toString(),
            FunctionResponses.status(
                    PromiseStatus.NotFound.because(
                        Rejection.of(
                            ErrorCode.VALIDATION_FAILED,
                            Reason.NOT_FOUND,
                            "no preconfirmation is held for transaction "
                                + tx
                                + " on chain 167001")))
                .toString());
    assertThat(answers).containsExactlyElementsOf(golden("status-response.jsonl"));
  }

  @Test
  void reconcileAnswers() throws IOException {
    assertThat(
            reconcileResults().stream()
                .map(r -> FunctionResponses.reconcile(r).toString())
                .toList())
        .containsExactlyElementsOf(golden("reconcile-response.jsonl"));
  }

  @Test
  void infoListsTheRollups() throws IOException {
    JsonNode info =
        FunctionResponses.info(
            EcdsaSigner.fromPrivateKey(PRECONFER_KEY).address(),
            MlDsaSigner.fromSeed(PQ_SEED).publicKey(),
            rollups(),
            NOW,
            "0.9.0-golden");
    assertThat(List.of(info.toString())).containsExactlyElementsOf(golden("info.jsonl"));
  }

  /** A found promise with its status as of {@link #NOW}, as the status lookup gives it. */
  private static PromiseStatus found(TrackedPreconfirmation t, List<RecordedViolation> violations) {
    return new PromiseStatus.Found(t, t.statusAt(NOW), violations);
  }
}
