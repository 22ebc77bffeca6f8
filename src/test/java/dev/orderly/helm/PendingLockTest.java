package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.helm.PendingLock.Free;
import dev.orderly.helm.PendingLock.Fresh;
import dev.orderly.helm.PendingLock.Stale;
import dev.orderly.helm.PendingLock.Undated;
import dev.orderly.helm.PendingLock.Verdict;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Stale or not, and which record goes, for each of Helm's pending statuses. */
class PendingLockTest {
  private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");
  private static final Duration INSTALL = Duration.ofMinutes(5);
  private static final Duration UPGRADE = Duration.ofMinutes(10);

  @Test
  void noRecordOrASettledLatestRecordLeavesTheLockFree() {
    assertThat(decide(List.of())).isInstanceOf(Free.class);
    assertThat(decide(List.of(record(1, "superseded", ago(60)), record(2, "deployed", ago(30)))))
        .isInstanceOf(Free.class);
    assertThat(decide(List.of(record(1, "failed", ago(60))))).isInstanceOf(Free.class);
  }

  @Test
  void anOlderPendingRevisionDoesNotHoldTheLock() {
    // Helm only looks at the latest revision.
    assertThat(
            decide(List.of(record(1, "pending-upgrade", ago(60)), record(2, "deployed", ago(1)))))
        .isInstanceOf(Free.class);
  }

  @ParameterizedTest
  @CsvSource({
    // status, minutes pending, stale?
    "pending-install, 6, true",
    "pending-install, 5, false",
    "pending-install, 1, false",
    "pending-upgrade, 11, true",
    "pending-upgrade, 6, false",
    "pending-rollback, 11, true",
    "pending-rollback, 9, false"
  })
  void staleOnlyOnceOlderThanTheOperationsOwnTimeout(String status, int minutes, boolean stale) {
    Verdict verdict =
        decide(List.of(record(1, "superseded", ago(120)), record(2, status, ago(minutes * 60))));

    if (stale) {
      assertThat(verdict)
          .isEqualTo(
              new Stale("sh.helm.release.v1.agent.v2", 2, status, Duration.ofMinutes(minutes)));
    } else {
      Duration timeout = status.equals("pending-install") ? INSTALL : UPGRADE;
      assertThat(verdict)
          .isEqualTo(
              new Fresh(
                  "sh.helm.release.v1.agent.v2",
                  2,
                  status,
                  NOW.minusSeconds(minutes * 60L).plus(timeout)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pending-install", "pending-upgrade", "pending-rollback"})
  void onlyThePendingRevisionIsRemovedSoTheOneBeforeIsLatestAgain(String status) {
    List<Secret> history =
        List.of(
            record(3, status, ago(3600)),
            record(1, "superseded", ago(7200)),
            record(2, "deployed", ago(5000)),
            record(1, "deployed", ago(100), "other"));

    assertThat(decide(history))
        .isInstanceOfSatisfying(
            Stale.class,
            stale -> {
              assertThat(stale.secretName()).isEqualTo("sh.helm.release.v1.agent.v3");
              assertThat(stale.revision()).isEqualTo(3);
              assertThat(stale.age()).isEqualTo(Duration.ofHours(1));
            });
  }

  @Test
  void modifiedAtWinsOverCreatedAtAndCreationTimestamp() {
    Secret record = record(1, "pending-install", ago(3600));
    record.getMetadata().getLabels().put("modifiedAt", Long.toString(ago(60).getEpochSecond()));
    record.getMetadata().setCreationTimestamp(ago(7200).toString());

    assertThat(decide(List.of(record))).isInstanceOf(Fresh.class);
  }

  @Test
  void withoutHelmsTimeLabelsTheSecretsCreationTimestampCounts() {
    Secret record = record(1, "pending-install", null);
    record.getMetadata().setCreationTimestamp(ago(600).toString());

    assertThat(decide(List.of(record))).isInstanceOf(Stale.class);
  }

  @Test
  void aRecordWithNoTimeAtAllIsNeverTakenForStale() {
    assertThat(decide(List.of(record(1, "pending-upgrade", null))))
        .isEqualTo(new Undated("sh.helm.release.v1.agent.v1", 1, "pending-upgrade"));
  }

  @Test
  void theStatusComesFromTheRecordWhenTheLabelIsMissing() {
    Secret secret =
        ReleaseRecordCodec.encode(
            new HelmReleaseRecord(
                "agent", "agents", 1, "pending-install", "c", "1.0", "", List.of()));
    secret.getMetadata().getLabels().remove("status");
    secret.getMetadata().getLabels().put("createdAt", Long.toString(ago(600).getEpochSecond()));

    assertThat(decide(List.of(secret))).isInstanceOf(Stale.class);
  }

  private static Verdict decide(List<Secret> secrets) {
    return PendingLock.decide("agent", secrets, INSTALL, UPGRADE, NOW);
  }

  private static Instant ago(long seconds) {
    return NOW.minusSeconds(seconds);
  }

  private static Secret record(int revision, String status, Instant createdAt) {
    return record(revision, status, createdAt, "agent");
  }

  private static Secret record(int revision, String status, Instant createdAt, String release) {
    SecretBuilder builder =
        new SecretBuilder()
            .withNewMetadata()
            .withName(ReleaseSecrets.secretName(release, revision))
            .withNamespace("agents")
            .addToLabels("owner", "helm")
            .addToLabels("name", release)
            .addToLabels("status", status)
            .addToLabels("version", Integer.toString(revision))
            .endMetadata()
            .withType(ReleaseRecordCodec.SECRET_TYPE);
    if (createdAt != null) {
      builder
          .editMetadata()
          .addToLabels("createdAt", Long.toString(createdAt.getEpochSecond()))
          .endMetadata();
    }
    return builder.build();
  }
}
