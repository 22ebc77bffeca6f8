package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan --from-cluster --order}: the waves in which OrderedReleases would come down, read
 * from a fabric8 mock API server (CRUD mode).
 */
class PlanTeardownOrderTest {
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Path kubeconfig;

  @BeforeEach
  void startServer(@TempDir Path dir) throws IOException {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.start(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters:
            - name: mock
              cluster:
                server: http://%s:%d
            contexts:
            - name: mock
              context: {cluster: mock, user: mock, namespace: default}
            current-context: mock
            users:
            - name: mock
              user: {}
            """
                .formatted(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort()));
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.shutdown();
  }

  @Test
  void printsTheWavesLeavesFirstRootsLast() {
    create("deps", "op");
    create("deps", "crs", "op");
    create("deps", "app", "crs");
    create("deps", "other");
    create("web", "front", "deps/op");

    CliRun run = plan("--namespace", "deps");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            """
            Teardown order of 4 OrderedReleases in namespace deps, if all were deleted at once
            A wave starts once every release of the waves before it is gone; the releases of one\
             wave go down in parallel.

            WAVE   ORDEREDRELEASE  AFTER
            1      deps/app        -
            1      deps/other      -
            2      deps/crs        deps/app
            never  deps/op         waits for web/front, which would not be deleted

            A release marked never waits until its dependents are gone: annotate it\
             orderly.dev/force or set spec.uninstall.waitForDependents: false to let it go.
            """);

    CliRun everywhere = plan("--all-namespaces", "-o", "json");
    assertThat(everywhere.exitCode()).isZero();
    assertThat(everywhere.out())
        .isEqualTo(
            """
            {
              "allNamespaces" : true,
              "waves" : [ [ "deps/app", "deps/other", "web/front" ], [ "deps/crs" ], [ "deps/op" ] ],
              "never" : { }
            }
            """);
  }

  @Test
  void aReleaseThatDoesNotWaitForItsDependentsGoesInTheFirstWave() {
    create("deps", "op", r -> r.getSpec().getUninstall().setWaitForDependents(false));
    create(
        "deps",
        "crs",
        r -> r.getMetadata().setAnnotations(Map.of("orderly.dev/force", "true")),
        "op");
    create("deps", "app", "crs");
    create("web", "front", "deps/op");

    CliRun run = plan("--namespace", "deps");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).as("nothing would never start").isZero();
    assertThat(run.out())
        .contains(
            "WAVE  ORDEREDRELEASE  AFTER\n"
                + "1     deps/app        -\n"
                + "1     deps/crs        - (not waiting for deps/app: orderly.dev/force is set)\n"
                + "1     deps/op         - (not waiting for deps/crs, web/front:"
                + " uninstall.waitForDependents is false)\n")
        .doesNotContain("never");

    CliRun json = plan("--namespace", "deps", "-o", "json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out())
        .isEqualTo(
            """
            {
              "namespace" : "deps",
              "waves" : [ [ "deps/app", "deps/crs", "deps/op" ] ],
              "never" : { },
              "notWaiting" : {
                "deps/crs" : "orderly.dev/force is set",
                "deps/op" : "uninstall.waitForDependents is false"
              }
            }
            """);
  }

  @Test
  void withNoCrossNamespaceRefsAnEdgeIntoAnotherNamespaceOrdersNothing() {
    create("deps", "op");
    create("deps", "crs", "op");
    create("web", "front", "deps/op");

    CliRun run = plan("--namespace", "deps", "--no-cross-namespace-refs", "-o", "json");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).as("web/front no longer holds deps/op").isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            {
              "namespace" : "deps",
              "waves" : [ [ "deps/crs" ], [ "deps/op" ] ],
              "never" : { }
            }
            """);
    assertThat(plan("--namespace", "deps", "-o", "json").exitCode())
        .as("without the flag web/front holds it")
        .isEqualTo(1);
  }

  @Test
  void aCycleNeverStarts() {
    create("default", "a", "b");
    create("default", "b", "a");
    CliRun run = plan();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("never  default/a       dependency cycle default/a → default/b → default/a");
  }

  @Test
  void usageMistakesAreNamed() {
    assertThat(CliRun.of("plan", "--order").err())
        .contains("--order reads the OrderedReleases: add --from-cluster");
    assertThat(CliRun.of("plan", "--from-cluster", "--order", "-A", "-n", "x").err())
        .contains("--all-namespaces and --namespace: choose one");
    CliRun chart = CliRun.of("plan", "--from-cluster", "--order", "charts/examples/node-agent");
    assertThat(chart.exitCode()).isEqualTo(2);
    assertThat(chart.err()).contains("not a chart");
  }

  private CliRun plan(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("plan", "--from-cluster", "--order", "--kubeconfig", kubeconfig.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private void create(String namespace, String name, String... dependsOn) {
    create(namespace, name, r -> {}, dependsOn);
  }

  private void create(
      String namespace, String name, Consumer<OrderedRelease> customize, String... dependsOn) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath("/charts/" + name));
    for (String dependency : dependsOn) {
      String[] parts = dependency.split("/");
      spec.getDependsOn()
          .add(
              parts.length == 2
                  ? new DependencyReference(parts[1], parts[0])
                  : new DependencyReference(parts[0], null));
    }
    release.setSpec(spec);
    customize.accept(release);
    client.resource(release).create();
  }
}
