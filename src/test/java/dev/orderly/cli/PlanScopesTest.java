package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} shows cluster-scoped custom resources without a namespace: scoped by the chart's
 * CRDs ({@code crds/} and {@code templates/}), or with {@code --from-cluster} by the cluster's
 * discovery too.
 */
class PlanScopesTest {

  private static final String CHART = "src/test/resources/charts/cluster-scoped-crs";

  private TestApiServer server;
  private String kubeconfig;

  @BeforeEach
  void start(@TempDir Path dir) throws IOException {
    server = new TestApiServer().start();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig()).toString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theChartsCrdsScopeItsCustomResources() {
    CliRun run = CliRun.of("plan", CHART, "--release", "rel");

    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .containsSubsequence(
            "2. CustomResources",
            "     Gizmo                     rel-gizmo\n",
            "     Sprocket                  rel-sprocket\n",
            "     Widget                    default/rel-widget\n",
            "3. Admission")
        .contains("  Gizmo                     rel-marker                   a post-install hook");
  }

  @Test
  void fromClusterTheClustersDiscoveryScopesWhatTheChartDoesNotDefine() {
    createClusterScopedCrd(server.client(), "other.example.com", "Widget", "widgets");

    CliRun run =
        CliRun.of("plan", CHART, "--release", "rel", "--from-cluster", "--kubeconfig", kubeconfig);

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("     Widget                    rel-widget\n");
  }

  @Test
  void aReleaseRecordIsScopedByTheClustersDiscovery() {
    createClusterScopedCrd(server.client(), "fleet.example.com", "Fleet", "fleets");
    String manifest =
        """
        ---
        # Source: app/templates/fleet.yaml
        apiVersion: fleet.example.com/v1
        kind: Fleet
        metadata: {name: fleet}
        ---
        # Source: app/templates/other.yaml
        apiVersion: unknown.example.com/v1
        kind: Fleet
        metadata: {name: other}
        """;
    server
        .client()
        .resource(
            ReleaseRecordCodec.encode(
                new HelmReleaseRecord(
                    "app", "apps", 1, "deployed", "app", "1.0.0", manifest, List.of())))
        .create();

    CliRun run =
        CliRun.of(
            "plan", "--from-cluster", "--release", "app", "-n", "apps", "--kubeconfig", kubeconfig);

    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .containsSubsequence(
            "2. CustomResources",
            "     Fleet    fleet\n",
            "     Fleet    apps/other\n",
            "3. Admission");
  }

  private static void createClusterScopedCrd(
      KubernetesClient client, String group, String kind, String plural) {
    client
        .resource(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: %s.%s}
            spec:
              group: %s
              scope: Cluster
              names: {kind: %s, plural: %s, singular: %s, listKind: %sList}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            """
                .formatted(plural, group, group, kind, plural, kind.toLowerCase(), kind))
        .create();
  }
}
