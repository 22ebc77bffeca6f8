package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With --namespaces naming several namespaces, each namespace's values, record and dependency
 * informers keep their own store: every watched namespace's referenced objects and records are
 * cached, an unwatched namespace's are not, and a referenced object's change still upgrades.
 */
class NamespacedCachesIntegrationTest {
  private static final List<String> WATCHED = List.of("apps", "tools");
  // Release names differ: the chart's ClusterRole is named after the release.
  private static final Map<String, String> RELEASE = Map.of("apps", "agent", "tools", "tool");

  private TestApiServer server;
  private KubernetesClient test;
  private ClusterSimulator simulator;
  private OperatorReplica operator;

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    test = OperatorClients.testSide(server);
    OperatorHarness.createCrd(test);
    simulator = new ClusterSimulator(test, 2).start();
    for (String namespace : List.of("apps", "tools", "other")) {
      test.namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    operator =
        OperatorReplica.start(
            server, "orderly-0", null, Set.copyOf(WATCHED), OperatorClients.everything());
  }

  @AfterEach
  void stop() {
    operator.close();
    simulator.close();
    test.close();
    server.close();
  }

  @Test
  void eachWatchedNamespaceKeepsItsReferencedObjectsAndRecords() {
    for (String namespace : WATCHED) {
      test.resource(configMap(namespace, "agent-values", "logLevel: warn\n")).create();
      test.resource(configMap(namespace, "unrelated", "logLevel: error\n")).create();
      OrderedRelease release = Releases.nodeAgent(namespace, RELEASE.get(namespace));
      release
          .getSpec()
          .setValuesFrom(
              List.of(new ValuesReference(ValuesReference.Kind.ConfigMap, "agent-values", null)));
      test.resource(release).create();
    }
    for (String namespace : WATCHED) {
      Releases.awaitReady(test, namespace, RELEASE.get(namespace), null);
    }
    // A Helm record where the operator does not look.
    test.resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace("other")
                .withName("sh.helm.release.v1.x.v1")
                .withLabels(Map.of("owner", "helm", "name", "x", "version", "1"))
                .endMetadata()
                .build())
        .create();

    test.resource(configMap("tools", "agent-values", "logLevel: info\n")).update();
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "info".equals(logLevel("tools")));
    assertThat(logLevel("apps")).isEqualTo("warn");

    int records =
        WATCHED.stream()
            .mapToInt(
                ns ->
                    test.secrets()
                        .inNamespace(ns)
                        .withLabel("owner", "helm")
                        .list()
                        .getItems()
                        .size())
            .sum();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () -> {
              var cached = operator.operator().cached();
              assertThat(cached.valuesConfigMaps()).as("agent-values of each").isEqualTo(2);
              assertThat(cached.dependencyNodes()).isEqualTo(2);
              assertThat(cached.releaseRecords()).isEqualTo(records);
            });
  }

  private String logLevel(String namespace) {
    ConfigMap config =
        test.configMaps().inNamespace(namespace).withName(RELEASE.get(namespace) + "-config").get();
    return config == null ? null : config.getData().get("logLevel");
  }

  private static ConfigMap configMap(String namespace, String name, String values) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withData(Map.of("values.yaml", values))
        .build();
  }
}
