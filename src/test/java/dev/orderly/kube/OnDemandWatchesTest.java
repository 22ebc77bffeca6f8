package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.kube.OnDemandWatches.State;
import dev.orderly.teardown.WatchKey;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Informers started for as long as some release needs them, against the test API server. */
class OnDemandWatchesTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final ResourceID FIRST = new ResourceID("first", "releases");
  private static final ResourceID SECOND = new ResourceID("second", "releases");

  private TestApiServer server;
  private KubernetesClient client;
  private OnDemandWatches watches;
  private final List<ResourceID> woken = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    client = server.client();
    for (String namespace : List.of("a", "b", "c", "locked")) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      configMap(namespace, "settings");
    }
  }

  @AfterEach
  void stop() {
    if (watches != null) {
      watches.close();
    }
    server.close();
  }

  private OnDemandWatches watches(boolean allNamespaces, int clusterWideAbove) {
    watches =
        new OnDemandWatches(
            client, allNamespaces, clusterWideAbove, OnDemandWatches.Timing.DEFAULT);
    watches.wakeWith(woken::add);
    return watches;
  }

  @Test
  void oneInformerServesEveryReleaseThatNeedsAKeyAndStopsWithTheLastOfThem() {
    watches(true, 10);
    WatchKey key = configMaps("a");
    watches.need(FIRST, Set.of(key));
    watches.need(SECOND, Set.of(key));
    await().atMost(BOUND).until(() -> watches.state(key) == State.SYNCED);
    assertThat(watches.running()).containsExactly("ConfigMap/a");
    assertThat(watches.get(key, "settings")).isPresent();
    assertThat(woken).as("the end of the sync wakes both").contains(FIRST, SECOND);

    woken.clear();
    configMap("a", "added");
    await().atMost(BOUND).until(() -> woken.containsAll(List.of(FIRST, SECOND)));
    await().atMost(BOUND).until(() -> watches.get(key, "added").isPresent());

    watches.forget(FIRST);
    assertThat(watches.running()).as("the second still needs it").containsExactly("ConfigMap/a");
    watches.forget(SECOND);
    assertThat(watches.running()).isEmpty();
    assertThat(watches.state(key)).isEqualTo(State.UNAVAILABLE);
  }

  @Test
  void whatNobodyNeedsAnyMoreStops() {
    watches(true, 10);
    watches.need(FIRST, Set.of(configMaps("a")));
    watches.need(SECOND, Set.of(configMaps("b")));
    assertThat(watches.running()).containsExactly("ConfigMap/a", "ConfigMap/b");

    watches.need(FIRST, Set.of(configMaps("c")));
    assertThat(watches.running()).containsExactly("ConfigMap/b", "ConfigMap/c");
    await().atMost(BOUND).until(() -> watches.state(configMaps("c")) == State.SYNCED);

    woken.clear();
    configMap("a", "unwatched");
    configMap("c", "watched");
    await().atMost(BOUND).until(() -> woken.contains(FIRST));
    assertThat(woken).doesNotContain(SECOND);
  }

  @Test
  void manyNamespacesOfOneKindShareOneClusterWideInformerOnceItHasSynced() {
    watches(true, 2);
    for (String namespace : List.of("a", "b", "c", "locked")) {
      account(namespace, "settings");
    }
    watches.need(FIRST, Set.of(accounts("a"), accounts("b")));
    await().atMost(BOUND).until(() -> watches.state(accounts("a")) == State.SYNCED);
    assertThat(watches.running()).containsExactly("ServiceAccount/a", "ServiceAccount/b");

    watches.need(SECOND, Set.of(accounts("c")));
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(watches.running()).containsExactly("ServiceAccount/*"));
    for (String namespace : List.of("a", "b", "c")) {
      assertThat(watches.state(accounts(namespace))).isEqualTo(State.SYNCED);
      assertThat(watches.get(accounts(namespace), "settings")).isPresent();
    }
    assertThat(watches.list(accounts("a")))
        .as("only the namespace asked for")
        .allSatisfy(m -> assertThat(m.getMetadata().getNamespace()).isEqualTo("a"));

    woken.clear();
    account("locked", "elsewhere");
    account("b", "here");
    await().atMost(BOUND).until(() -> woken.contains(FIRST));
    assertThat(woken).as("a namespace nobody needs wakes nobody").doesNotContain(SECOND);

    watches.need(FIRST, Set.of());
    assertThat(watches.running())
        .as("still needed by the second")
        .containsExactly("ServiceAccount/*");
    watches.forget(SECOND);
    assertThat(watches.running()).isEmpty();
  }

  @Test
  void secretsAndConfigMapsAreNeverWatchedClusterWide() {
    watches(true, 2);
    watches.need(FIRST, Set.of(configMaps("a"), configMaps("b"), configMaps("c")));
    watches.need(
        SECOND,
        Set.of(
            new WatchKey("v1", "Secret", "a"),
            new WatchKey("v1", "Secret", "b"),
            new WatchKey("v1", "Secret", "c")));
    await().atMost(BOUND).until(() -> watches.state(configMaps("c")) == State.SYNCED);

    assertThat(watches.running())
        .as("a cluster holds many that belong to no release: Helm's records among them")
        .containsExactlyInAnyOrder(
            "ConfigMap/a", "ConfigMap/b", "ConfigMap/c", "Secret/a", "Secret/b", "Secret/c");
  }

  @Test
  void withWatchedNamespacesSetItNeverGoesClusterWide() {
    watches(false, 2);
    watches.need(FIRST, Set.of(configMaps("a"), configMaps("b"), configMaps("c")));
    await().atMost(BOUND).until(() -> watches.state(configMaps("c")) == State.SYNCED);
    assertThat(watches.running()).containsExactly("ConfigMap/a", "ConfigMap/b", "ConfigMap/c");
  }

  @Test
  void aRefusedListLeavesTheKeyUnavailableAndWakesWhoNeedsIt() {
    watches(true, 10);
    server.faults().answerUntilCleared("GET", "/api/v1/namespaces/locked/configmaps", 403);
    WatchKey key = configMaps("locked");
    watches.need(FIRST, Set.of(key, configMaps("a")));
    await().atMost(BOUND).until(() -> watches.state(key) == State.UNAVAILABLE);
    await().atMost(BOUND).until(() -> watches.state(configMaps("a")) == State.SYNCED);
    assertThat(woken).contains(FIRST);
  }

  @Test
  void aListThatKeepsFailingFallsBackToGetsAndIsTriedAgainLater() {
    var quick =
        new OnDemandWatches.Timing(
            Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMinutes(5));
    watches = new OnDemandWatches(client, true, 10, quick);
    watches.wakeWith(woken::add);
    var outage = server.faults().answerUntilCleared("GET", "/api/v1/namespaces/a/configmaps", 503);
    WatchKey key = configMaps("a");
    watches.need(FIRST, Set.of(key));
    assertThat(watches.state(key)).isEqualTo(State.SYNCING);
    await().atMost(BOUND).until(() -> watches.state(key) == State.UNAVAILABLE);
    assertThat(woken).as("told to read it by GET").contains(FIRST);

    outage.clear();
    await().atMost(BOUND).until(() -> watches.state(key) == State.SYNCED);
    assertThat(watches.get(key, "settings")).isPresent();
  }

  @Test
  void aKindTheServerDoesNotServeIsUnavailable() {
    watches(true, 10);
    WatchKey key = new WatchKey("example.com/v1", "Widget", "a");
    watches.need(FIRST, Set.of(key));
    await().atMost(BOUND).until(() -> watches.state(key) == State.UNAVAILABLE);
  }

  @Test
  void aClusterScopedKindIsWatchedWithoutANamespace() {
    watches(true, 10);
    client
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder().withNewMetadata().withName("agent").endMetadata().build())
        .create();
    WatchKey key = new WatchKey("rbac.authorization.k8s.io/v1", "ClusterRole", null);
    watches.need(FIRST, Set.of(key));
    await().atMost(BOUND).until(() -> watches.state(key) == State.SYNCED);
    assertThat(watches.get(key, "agent")).isPresent();

    woken.clear();
    client.rbac().clusterRoles().withName("agent").delete();
    await().atMost(BOUND).until(() -> woken.contains(FIRST));
    await().atMost(BOUND).until(() -> watches.get(key, "agent").isEmpty());
  }

  @Test
  void whatTheOperatorJustCreatedIsAnsweredUntilTheCacheHasIt() {
    watches(true, 10);
    WatchKey key = configMaps("a");
    watches.need(FIRST, Set.of(key));
    await().atMost(BOUND).until(() -> watches.state(key) == State.SYNCED);
    var made =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withNewMetadata()
            .withNamespace("a")
            .withName("hook")
            .withUid("made-1")
            .withResourceVersion(String.valueOf(Long.MAX_VALUE))
            .endMetadata()
            .build();
    watches.created(key, made);
    assertThat(watches.get(key, "hook"))
        .hasValueSatisfying(found -> assertThat(found.getMetadata().getUid()).isEqualTo("made-1"));

    String uid = watches.get(key, "settings").orElseThrow().getMetadata().getUid();
    watches.deleted("v1", "ConfigMap", "a", "settings", uid);
    assertThat(watches.get(key, "settings"))
        .as("a delete just accepted reads as terminating")
        .hasValueSatisfying(
            found -> assertThat(found.getMetadata().getDeletionTimestamp()).isNotNull());
  }

  private static WatchKey configMaps(String namespace) {
    return new WatchKey("v1", "ConfigMap", namespace);
  }

  private static WatchKey accounts(String namespace) {
    return new WatchKey("v1", "ServiceAccount", namespace);
  }

  private void account(String namespace, String name) {
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private void configMap(String namespace, String name) {
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
  }
}
