package dev.orderly.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.readiness.ReleaseReadiness.Assessment;
import dev.orderly.readiness.ReleaseReadiness.Observed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseReadinessTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant DEADLINE = NOW.plus(Duration.ofMinutes(5));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Observed CONFIG = new Observed("ConfigMap ns/config", json("ConfigMap"));
  private static final Observed WEB =
      new Observed(
          "Deployment ns/web",
          json(
              "Deployment",
              "\"spec\":{\"replicas\":1},\"status\":{\"updatedReplicas\":1,\"replicas\":1,"
                  + "\"availableReplicas\":0}"));

  @Test
  void readyWhenEveryObjectIs() {
    Assessment assessment = ReleaseReadiness.assess(List.of(CONFIG), NOW, DEADLINE);
    assertThat(assessment.ready()).isTrue();
    assertThat(assessment.total()).isEqualTo(1);
    assertThat(assessment.recheckAfter()).isNull();
  }

  @Test
  void namesWhatIsNotReadyAndLooksAgainWithinThePoll() {
    Assessment assessment =
        ReleaseReadiness.assess(
            List.of(CONFIG, WEB, new Observed("Secret ns/token", null)), NOW, DEADLINE);
    assertThat(assessment.ready()).isFalse();
    assertThat(assessment.timedOut()).isFalse();
    assertThat(assessment.describeNotReady())
        .isEqualTo(
            "2 of 3 objects not ready: Deployment ns/web (0 of 1 replicas available);"
                + " Secret ns/token (not found)");
    assertThat(assessment.recheckAfter()).isEqualTo(ReleaseReadiness.POLL);
  }

  @Test
  void anObjectThatCannotBeReadIsNotReadyAndSaysWhy() {
    Assessment assessment =
        ReleaseReadiness.assess(
            List.of(new Observed("Widget ns/w", null, "403 Forbidden")), NOW, DEADLINE);
    assertThat(assessment.notReady())
        .containsExactly("Widget ns/w (cannot be read: 403 Forbidden)");
  }

  @Test
  void looksAgainAtTheDeadlineWhenItComesFirst() {
    Assessment assessment =
        ReleaseReadiness.assess(List.of(WEB), DEADLINE.minusSeconds(4), DEADLINE);
    assertThat(assessment.recheckAfter()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void timedOutAtTheDeadline() {
    Assessment assessment = ReleaseReadiness.assess(List.of(WEB), DEADLINE, DEADLINE);
    assertThat(assessment.timedOut()).isTrue();
    assertThat(assessment.recheckAfter()).isNull();
  }

  @Test
  void readyAtTheDeadlineIsReady() {
    assertThat(ReleaseReadiness.assess(List.of(CONFIG), DEADLINE, DEADLINE).timedOut()).isFalse();
  }

  @Test
  void namesAtMostFiveObjects() {
    List<Observed> missing = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      missing.add(new Observed("ConfigMap ns/c" + i, null));
    }
    assertThat(ReleaseReadiness.assess(missing, NOW, DEADLINE).describeNotReady())
        .startsWith("7 of 7 objects not ready: ConfigMap ns/c1 (not found);")
        .contains("ConfigMap ns/c5 (not found); and 2 more")
        .doesNotContain("c6");
  }

  private static JsonNode json(String kind) {
    return json(kind, "\"metadata\":{\"name\":\"x\"}");
  }

  private static JsonNode json(String kind, String rest) {
    try {
      return JSON.readTree("{\"kind\":\"" + kind + "\"," + rest + "}");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
