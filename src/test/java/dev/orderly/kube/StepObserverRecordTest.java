package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.cache.Trimmed;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.PlannedStep;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Release phase sees Helm's record through the lookup it is given (the operator's metadata
 * cache): the latest revision's UID and status from its labels, no payload and no API request.
 */
class StepObserverRecordTest {
  private static final ResourceID RELEASE = new ResourceID("agent", "agents");
  private final List<String> lookups = new ArrayList<>();
  private final List<Secret> records = new ArrayList<>();
  // No client: any call to the API server would fail the test.
  private final StepObserver observer =
      new StepObserver(
          new ClusterObjects(null),
          null,
          (namespace, release) -> {
            lookups.add(namespace + "/" + release);
            return records;
          },
          new CacheDoubt(System::nanoTime, Duration.ofSeconds(15)));

  @Test
  void theLatestTrimmedRevisionGivesItsUidAndStatus() {
    records.add(Trimmed.releaseRecord(record(1, "u-1", "superseded")));
    records.add(Trimmed.releaseRecord(record(2, "u-2", "deployed")));

    Observed seen = observer.observe(RELEASE, Map.of(0, releaseStep()), "r-uid").get(0);

    assertThat(lookups).containsExactly("agents/agent");
    assertThat(seen.exists()).isTrue();
    assertThat(seen.uid()).isEqualTo("u-2");
    assertThat(seen.releaseStatus()).isEqualTo("deployed");
  }

  @Test
  void recordsListedFromTheApiServerArePolledAndWatchedOnesAreNot() {
    records.add(Trimmed.releaseRecord(record(1, "u-1", "deployed")));
    StepObserver watching =
        new StepObserver(
            new ClusterObjects(null),
            null,
            new StepObserver.RecordLookup() {
              @Override
              public List<Secret> releaseSecrets(String namespace, String release) {
                return records;
              }

              @Override
              public boolean watched(String namespace) {
                return namespace.equals("agents");
              }
            },
            new CacheDoubt(System::nanoTime, Duration.ofSeconds(15)));

    Observed polled = observer.observe(RELEASE, Map.of(0, releaseStep()), "r-uid").get(0);
    Observed watched = watching.observe(RELEASE, Map.of(0, releaseStep()), "r-uid").get(0);

    assertThat(polled.watched()).as("a plain lookup says nothing of watching").isFalse();
    assertThat(watched.watched()).as("its deletion wakes the teardown: no poll").isTrue();
  }

  @Test
  void noRevisionLeftIsAbsent() {
    Observed seen = observer.observe(RELEASE, Map.of(0, releaseStep()), "r-uid").get(0);

    assertThat(seen.exists()).isFalse();
  }

  @Test
  void aTrimmedRecordWithoutAStatusLabelHasNoStatusRatherThanAFailure() {
    Secret unlabelled = record(1, "u-1", null);
    records.add(Trimmed.releaseRecord(unlabelled));

    Observed seen = observer.observe(RELEASE, Map.of(0, releaseStep()), "r-uid").get(0);

    assertThat(seen.uid()).isEqualTo("u-1");
    assertThat(seen.releaseStatus()).isNull();
  }

  private static TeardownStep releaseStep() {
    TeardownStep step = new TeardownStep();
    step.setPhase(TeardownPhase.Release);
    step.setApiVersion(PlannedStep.RELEASE_API_VERSION);
    step.setKind(PlannedStep.RELEASE_KIND);
    step.setNamespace("agents");
    step.setName("agent");
    return step;
  }

  private static Secret record(int revision, String uid, String status) {
    Map<String, String> labels =
        status == null
            ? Map.of("owner", "helm", "name", "agent", "version", String.valueOf(revision))
            : Map.of(
                "owner",
                "helm",
                "name",
                "agent",
                "version",
                String.valueOf(revision),
                "status",
                status);
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("agents")
        .withName("sh.helm.release.v1.agent.v" + revision)
        .withUid(uid)
        .withResourceVersion(String.valueOf(revision))
        .withLabels(labels)
        .endMetadata()
        .withData(Map.of("release", "H4sIAAAAAAAA"))
        .build();
  }
}
