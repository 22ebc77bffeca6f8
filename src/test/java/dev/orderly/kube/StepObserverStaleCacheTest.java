package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.PhaseDecider;
import dev.orderly.teardown.PlannedStep;
import dev.orderly.teardown.WatchKey;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cache that missed a delete (a watch that lost the event) must not hold a teardown for good: an
 * object it keeps showing is read from the API server once it has been seen there a while.
 */
class StepObserverStaleCacheTest {
  private static final ResourceID RELEASE = new ResourceID("agent", "agents");

  private TestApiServer server;
  private KubernetesClient client;
  private FrozenCache watches;
  private final CacheDoubtTest.Ticker clock = new CacheDoubtTest.Ticker();

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    client = server.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("agents").endMetadata().build())
        .create();
    watches = new FrozenCache(client);
  }

  @AfterEach
  void stop() {
    watches.close();
    server.close();
  }

  @Test
  void anObjectDeletedBehindTheCachesBackIsSeenGoneAtTheNextLookAfterTheSafetyNet() {
    StepObserver observer = observer();
    TeardownStep step = configMapStep();

    Observed first = look(observer, step);
    assertThat(first.exists()).as("the cache's word, no GET").isTrue();
    assertThat(first.watched()).isTrue();

    clock.advance(PhaseDecider.SAFETY_NET.minusSeconds(1));
    assertThat(look(observer, step).exists()).as("not yet in doubt").isTrue();

    clock.advance(Duration.ofSeconds(1));
    Observed confirmed = look(observer, step);
    assertThat(confirmed.gone()).as("the API server has no such ConfigMap").isTrue();
    assertThat(confirmed.watched()).as("read by GET: polled").isFalse();
  }

  @Test
  void anObjectTheApiServerStillHasStaysAndIsConfirmedAgainOnlyAfterAnotherInterval() {
    client
        .configMaps()
        .inNamespace("agents")
        .resource(
            new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().build())
        .create();
    StepObserver observer = observer();
    TeardownStep step = configMapStep();
    look(observer, step);
    clock.advance(PhaseDecider.SAFETY_NET);
    int before = server.requests().size();

    assertThat(look(observer, step).exists()).isTrue();
    assertThat(server.requests().size()).as("one GET").isEqualTo(before + 1);
    assertThat(look(observer, step).watched()).as("back to the cache").isTrue();
    assertThat(server.requests().size()).isEqualTo(before + 1);
  }

  @Test
  void aWatchedHelmRecordTheApiServerNoLongerHasIsSeenGoneAfterTheSafetyNet() {
    Secret stale =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("agents")
            .withName("sh.helm.release.v1.agent.v1")
            .withUid("record-uid")
            .withLabels(Map.of("owner", "helm", "name", "agent", "version", "1"))
            .addToLabels("status", "deployed")
            .endMetadata()
            .build();
    StepObserver observer =
        new StepObserver(
            new ClusterObjects(client),
            watches,
            new StepObserver.RecordLookup() {
              @Override
              public List<Secret> releaseSecrets(String namespace, String release) {
                return List.of(stale);
              }

              @Override
              public boolean watched(String namespace) {
                return true;
              }
            },
            new CacheDoubt(clock::nanos, PhaseDecider.SAFETY_NET));
    TeardownStep record = new TeardownStep();
    record.setPhase(TeardownPhase.Release);
    record.setApiVersion(PlannedStep.RELEASE_API_VERSION);
    record.setKind(PlannedStep.RELEASE_KIND);
    record.setNamespace("agents");
    record.setName("agent");

    assertThat(look(observer, record).exists()).isTrue();
    clock.advance(PhaseDecider.SAFETY_NET);
    Observed confirmed = look(observer, record);
    assertThat(confirmed.exists()).as("no record Secret on the API server").isFalse();
    assertThat(confirmed.watched()).isFalse();
  }

  private StepObserver observer() {
    return new StepObserver(
        new ClusterObjects(client),
        watches,
        (ns, release) -> List.of(),
        new CacheDoubt(clock::nanos, PhaseDecider.SAFETY_NET));
  }

  private static Observed look(StepObserver observer, TeardownStep step) {
    return observer.observe(RELEASE, Map.of(0, step), "r-uid").get(0);
  }

  private static TeardownStep configMapStep() {
    TeardownStep step = new TeardownStep();
    step.setPhase(TeardownPhase.ConfigAndNetwork);
    step.setApiVersion("v1");
    step.setKind("ConfigMap");
    step.setNamespace("agents");
    step.setName("settings");
    step.setState(TeardownStep.State.InProgress);
    return step;
  }

  /** A synced cache that still holds ConfigMap agents/settings, whatever the server says. */
  private static final class FrozenCache extends OnDemandWatches {
    FrozenCache(KubernetesClient client) {
      super(client, false);
    }

    @Override
    public synchronized State state(WatchKey key) {
      return State.SYNCED;
    }

    @Override
    public Optional<GenericKubernetesResource> get(WatchKey key, String name) {
      return Optional.of(
          new GenericKubernetesResourceBuilder()
              .withApiVersion("v1")
              .withKind("ConfigMap")
              .withNewMetadata()
              .withNamespace("agents")
              .withName(name)
              .withUid("cm-uid")
              .endMetadata()
              .build());
    }
  }
}
