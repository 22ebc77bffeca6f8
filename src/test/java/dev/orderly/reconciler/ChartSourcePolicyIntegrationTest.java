package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.ChartSourcePolicy;
import dev.orderly.testsupport.LocalChartRepository;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real operator with a locked-down chart-source policy: a chart path outside the allowed
 * directories (by '/', '..' or a symlink out), a repository outside the allowed prefixes, and a
 * name or version with path tricks each stall with a named reason, one Warning Event and nothing
 * installed; an archive whose sha256 differs from index.yaml's digest is refused and not cached.
 */
class ChartSourcePolicyIntegrationTest {
  private static final String NS = "tenant";

  private static Path allowed;
  private static LocalChartRepository repository;
  private OperatorHarness harness;

  @BeforeAll
  static void charts() throws IOException {
    allowed = Files.createTempDirectory("allowed-charts").toRealPath();
    // A symlink inside the allowed directory to a chart outside it.
    Files.createSymbolicLink(allowed.resolve("escape"), Releases.NODE_AGENT);
    repository = LocalChartRepository.serving(Releases.NODE_AGENT, "node-agent", "0.1.0");
  }

  @AfterAll
  static void cleanUp() throws IOException {
    repository.close();
    Files.deleteIfExists(allowed.resolve("escape"));
    Files.deleteIfExists(allowed);
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  private void startOperator() {
    harness =
        OperatorHarness.start(
            new ChartSourcePolicy(
                List.of(allowed),
                List.of("https://", "oci://", repository.url() + "/"),
                ChartSourcePolicy.DEFAULT_MAX_INDEX_BYTES,
                ChartSourcePolicy.DEFAULT_MAX_ARCHIVE_BYTES));
  }

  static Stream<Arguments> refusedSources() {
    return Stream.of(
        Arguments.of(
            "chart.path is the root",
            (Consumer<ChartSource>) c -> c.setPath("/"),
            "ChartPathNotAllowed",
            "chart.path / is not under the directories the operator may read charts from"),
        Arguments.of(
            "chart.path climbs out with ..",
            (Consumer<ChartSource>) c -> c.setPath(allowed + "/../../etc"),
            "ChartPathNotAllowed",
            "/../../etc is not under the directories"),
        Arguments.of(
            "chart.path is a symlink out of the allowed directory",
            (Consumer<ChartSource>) c -> c.setPath(allowed.resolve("escape").toString()),
            "ChartPathNotAllowed",
            "symlinks are followed before the check"),
        Arguments.of(
            "chart.name carries ../",
            (Consumer<ChartSource>) c -> repositoryChart(c, "https://charts.example.com", "../x"),
            "InvalidSpec",
            "spec.chart name '../x' contains a path separator"),
        Arguments.of(
            "chart.version carries ../",
            (Consumer<ChartSource>)
                c -> {
                  repositoryChart(c, "https://charts.example.com", "node-agent");
                  c.setVersion("../../0.1.0");
                },
            "InvalidSpec",
            "spec.chart version '../../0.1.0' contains a path separator"),
        Arguments.of(
            "plain-HTTP repository not allowed",
            (Consumer<ChartSource>) c -> repositoryChart(c, "http://10.0.0.1:8080", "node-agent"),
            "RepositoryNotAllowed",
            "chart.repository http://10.0.0.1:8080 is not under the operator's allowed"
                + " repositories"),
        Arguments.of(
            "an insecure OCI registry is plain HTTP",
            (Consumer<ChartSource>)
                c -> {
                  repositoryChart(c, "oci://10.0.0.1:5000/charts", "node-agent");
                  c.setInsecure(true);
                },
            "RepositoryNotAllowed",
            "with chart.insecure (plain http://10.0.0.1:5000/charts)"));
  }

  private static void repositoryChart(ChartSource chart, String url, String name) {
    chart.setPath(null);
    chart.setRepository(url);
    chart.setName(name);
    chart.setVersion("0.1.0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedSources")
  void stallsWithOneWarningAndInstallsNothing(
      String description, Consumer<ChartSource> source, String reason, String message) {
    startOperator();
    OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
    source.accept(release.getSpec().getChart());
    harness.create(release);

    OrderedRelease stalled =
        harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Stalled", "True", reason));

    assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains(message);
    assertThat(hasCondition(stalled, "Ready", "False", reason)).isTrue();
    assertThat(harness.events(NS, "agent"))
        .filteredOn(e -> e.getType().equals("Warning"))
        .extracting(Event::getReason)
        .containsExactly(reason);
    assertThat(harness.client().secrets().inNamespace(NS).list().getItems())
        .as("no Helm release was created")
        .isEmpty();
  }

  @Test
  void anArchiveWhoseDigestDiffersFromTheIndexIsRefusedAndNotCached() {
    startOperator();
    repository.listDigest("f".repeat(64));
    int downloadsBefore = repository.chartDownloads();
    OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
    repositoryChart(release.getSpec().getChart(), repository.url(), "node-agent");
    harness.create(release);

    OrderedRelease stalled =
        harness.awaitRelease(
            NS, "agent", r -> hasCondition(r, "Stalled", "True", "ChartDigestMismatch"));
    assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("has sha256 " + repository.archiveSha256())
        .contains("lists " + "f".repeat(64))
        .contains("it was not used");
    assertThat(harness.client().secrets().inNamespace(NS).list().getItems()).isEmpty();

    // The index is fixed: the retry downloads again, since the bad archive was never cached.
    repository.listDigest(repository.archiveSha256());
    try (ClusterSimulator simulator = new ClusterSimulator(harness.client(), 2).start()) {
      harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    }
    assertThat(repository.chartDownloads() - downloadsBefore).isEqualTo(2);
  }
}
