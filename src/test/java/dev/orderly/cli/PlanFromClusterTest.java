package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.helm.BadRecords;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ReleaseFixtures;
import dev.orderly.helm.ReleaseRecordCodec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan --from-cluster} reads the latest release Secret from a fabric8 mock API server (CRUD
 * mode) and prints the plan the operator makes from that record.
 */
class PlanFromClusterTest {

  private static final String FIXTURE_CHART = "src/test/resources/charts/hooks-sample";

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
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig(server.getPort()));
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.shutdown();
  }

  @Test
  void plansTheFixtureReleaseFromItsSecret() {
    client.resource(ReleaseFixtures.releaseSecret()).create();

    CliRun run = fromCluster("sample", "samples");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("Teardown plan for release sample in namespace samples\n")
        .contains(
            "Chart:     hooks-sample 1.2.3 (Secret samples/sh.helm.release.v1.sample.v1,"
                + " revision 1)")
        .containsSubsequence(
            "1. PreDeleteHooks",
            "-2      ServiceAccount  samples/sample-hook                before-hook-creation  created",
            "-1      Job             samples/sample-pre-delete          hook-succeeded        Job"
                + " complete",
            "4. DaemonSets",
            "DaemonSet  samples/sample-ds",
            "6. ConfigAndNetwork",
            "ConfigMap  samples/sample-config",
            "9. PostDeleteHooks",
            "0       ConfigMap       samples/sample-post-delete-marker  before-hook-creation  created")
        .contains("No hook findings.");
  }

  @Test
  void theLatestRevisionWins() {
    HelmReleaseRecord first = ReleaseFixtures.sampleRelease();
    HelmReleaseRecord second =
        new HelmReleaseRecord(
            first.name(),
            first.namespace(),
            2,
            "deployed",
            first.chartName(),
            "1.2.4",
            first.manifest(),
            List.of());
    client.resource(ReleaseFixtures.releaseSecret()).create();
    client.resource(ReleaseRecordCodec.encode(second)).create();

    CliRun run = fromCluster("sample", "samples");

    assertThat(run.out())
        .contains("hooks-sample 1.2.4 (Secret samples/sh.helm.release.v1.sample.v2, revision 2)")
        .doesNotContain("sample-pre-delete");
  }

  @Test
  void aGzipBombIsNamedNotUnpacked() {
    client.resource(BadRecords.gzipBomb("samples", "sample", 1, 40L * 1024 * 1024)).create();

    CliRun run = fromCluster("sample", "samples");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("samples/sh.helm.release.v1.sample.v1: the gzip layer expands past 32 MiB");
  }

  @Test
  void findingsComeFromTheStoredHooks() {
    String manifest =
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: cleanup
          annotations:
            "helm.sh/hook": pre-delete
            "helm.sh/hook-delete-policy": hook-succeded
        """;
    HelmHook hook =
        new HelmHook(
            "cleanup",
            "Job",
            "app/templates/cleanup.yaml",
            manifest,
            List.of("pre-delete"),
            0,
            List.of("hook-succeded"));
    client
        .resource(
            ReleaseRecordCodec.encode(
                new HelmReleaseRecord(
                    "app", "apps", 1, "deployed", "app", "1.0.0", "", List.of(hook))))
        .create();

    CliRun run = fromCluster("app", "apps", "-o", "json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("\"file\": \"app/templates/cleanup.yaml\"")
        .contains("\"annotation\": \"helm.sh/hook-delete-policy\"")
        .contains("\"fix\": \"hook-succeeded\"")
        .contains("\"droppedByHelm\": false");
  }

  @Test
  void aMissingReleaseIsAnError() {
    CliRun run = fromCluster("ghost", "samples");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("orderly plan: no Helm release ghost in namespace samples\n");
  }

  @Test
  void aCorruptRecordIsAnError() {
    Secret corrupt =
        new SecretBuilder(ReleaseFixtures.releaseSecret())
            .addToData("release", "bm90IGd6aXA=")
            .build();
    client.resource(corrupt).create();

    CliRun run = fromCluster("sample", "samples");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("orderly plan: Helm release Secret samples/sh.helm.release.v1.sample.v1");
  }

  /**
   * The property behind {@code plan}: the plan printed from a render of the chart is the plan the
   * operator makes from the Helm record that installing that chart produced.
   */
  @Test
  void planFromTheChartEqualsPlanFromTheRecordOfItsInstall() throws IOException {
    client.resource(ReleaseFixtures.releaseSecret()).create();

    CliRun fromChart =
        CliRun.of(
            "plan", FIXTURE_CHART, "--release", "sample", "--namespace", "samples", "-o", "json");
    CliRun fromRecord = fromCluster("sample", "samples", "-o", "json");

    ObjectMapper json = new ObjectMapper();
    JsonNode rendered = json.readTree(fromChart.out());
    JsonNode recorded = json.readTree(fromRecord.out());
    assertThat(rendered.get("phases")).isEqualTo(recorded.get("phases"));
    assertThat(rendered.get("leftInPlace")).isEqualTo(recorded.get("leftInPlace"));
    assertThat(rendered.get("findings")).isEqualTo(recorded.get("findings"));
  }

  private CliRun fromCluster(String release, String namespace, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "plan",
                "--from-cluster",
                "--release",
                release,
                "--namespace",
                namespace,
                "--kubeconfig",
                kubeconfig.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static String kubeconfig(int port) {
    return """
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
        .formatted(InetAddress.getLoopbackAddress().getHostAddress(), port);
  }
}
