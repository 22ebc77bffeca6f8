package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.chart.ChartIdentity;
import dev.orderly.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OciRegistryClient} against a real distribution registry on loopback, without auth. */
class OciRegistryPullTest {
  private static final Path NODE_AGENT = Path.of("charts/examples/node-agent").toAbsolutePath();

  @TempDir static Path registryDir;
  private static OciRegistry registry;
  private static String digest010;
  private static String digest020;

  @TempDir Path cache;

  @BeforeAll
  static void startRegistry() {
    registry = OciRegistry.start(registryDir);
    digest010 = registry.pushChart(NODE_AGENT, "node-agent", "0.1.0");
    digest020 = registry.pushChart(NODE_AGENT, "node-agent", "0.2.0");
    registry.pushChart(NODE_AGENT, "node-agent", "1.0.0-rc.1");
    registry.pushArtifact(
        "charts/image",
        "1.0.0",
        "application/vnd.oci.image.config.v1+json",
        "application/vnd.oci.image.layer.v1.tar+gzip");
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void pullsATagAndReportsTheManifestDigestHelmShows() {
    OciRegistryClient.PulledChart pulled = client().pull(chart(), "0.1.0", null, Optional.empty());

    assertThat(pulled.digest()).isEqualTo(digest010);
    assertThat(pulled.tag()).isEqualTo("0.1.0");
    assertThat(pulled.archive())
        .isEqualTo(cache.resolve("oci").resolve(digest010.substring(7) + ".tgz"));
    assertThat(ChartIdentity.read(pulled.archive()).version()).isEqualTo("0.1.0");
  }

  @Test
  void aRangeTakesTheHighestMatchingTagButNoPrerelease() {
    assertThat(client().pull(chart(), "^0.1.0", null, Optional.empty()).tag()).isEqualTo("0.1.0");
    assertThat(client().pull(chart(), ">=0.1.0 <1.0.0", null, Optional.empty()).digest())
        .isEqualTo(digest020);
    assertThat(client().pull(chart(), "*", null, Optional.empty()).tag()).isEqualTo("0.2.0");
    assertThat(client().pull(chart(), ">=1.0.0-0", null, Optional.empty()).tag())
        .isEqualTo("1.0.0-rc.1");
  }

  @Test
  void aPinnedDigestIsCheckedAndThenServedFromTheCache() throws IOException {
    OciRegistryClient.PulledChart pulled =
        client().pull(chart(), "0.2.0", digest020, Optional.empty());
    assertThat(pulled.digest()).isEqualTo(digest020);
    assertThat(ChartIdentity.read(pulled.archive()).version()).isEqualTo("0.2.0");
    long cached;
    try (var files = Files.list(cache.resolve("oci"))) {
      cached = files.count();
    }
    assertThat(cached).isEqualTo(1);

    expectFailure(
        () -> client().pull(chart(), "0.1.0", digest020, Optional.empty()),
        "ChartDigestMismatch",
        "oci://"
            + registry.host()
            + "/charts/node-agent:0.1.0 has digest "
            + digest010
            + ", not the pinned chart.digest "
            + digest020
            + ": the tag was moved to another artifact, or the digest is wrong");
  }

  @Test
  void aMissingTagAndAMissingChartAreNamed() {
    expectFailure(
        () -> client().pull(chart(), "9.9.9", null, Optional.empty()),
        "ChartVersionNotFound",
        "oci://" + registry.host() + "/charts/node-agent has no tag 9.9.9 (chart version 9.9.9)");
    expectFailure(
        () -> client().pull(chart(), "^3.0", null, Optional.empty()),
        "ChartVersionNotFound",
        "oci://" + registry.host() + "/charts/node-agent has no tag matching '^3.0'; its tags: ");
    expectFailure(
        () ->
            client()
                .pull(
                    OciReference.of("oci://" + registry.host() + "/charts", "nothing", true),
                    "^1",
                    null,
                    Optional.empty()),
        "ChartNotFound",
        "registry " + registry.host() + " has no chart charts/nothing");
  }

  @Test
  void anImageIsNotAHelmChart() {
    expectFailure(
        () ->
            client()
                .pull(
                    OciReference.of("oci://" + registry.host() + "/charts", "image", true),
                    "1.0.0",
                    null,
                    Optional.empty()),
        "NotAHelmChart",
        "oci://"
            + registry.host()
            + "/charts/image:1.0.0 is not a Helm chart: it is an artifact with config media type"
            + " 'application/vnd.oci.image.config.v1+json' and layers"
            + " [application/vnd.oci.image.layer.v1.tar+gzip]");
  }

  @Test
  void httpsToAPlainHttpRegistrySaysToSetInsecure() {
    expectFailure(
        () ->
            client()
                .pull(
                    OciReference.of(registry.chartsUrl(), "node-agent", false),
                    "0.1.0",
                    null,
                    Optional.empty()),
        "RepositoryUnavailable",
        "(if the registry serves plain HTTP, set chart.insecure: true)");
  }

  @Test
  void anUnreachableRegistryIsUnavailableAndRetried() throws IOException {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    OciReference nowhere = OciReference.of("oci://127.0.0.1:" + closedPort + "/charts", "x", true);
    assertThatThrownBy(() -> client().pull(nowhere, "1.0.0", null, Optional.empty()))
        .isInstanceOfSatisfying(
            HelmFailure.class,
            failure -> {
              assertThat(failure.reason()).isEqualTo("RepositoryUnavailable");
              assertThat(failure.stalled()).as("a retry may help").isFalse();
              assertThat(failure.getMessage())
                  .startsWith(
                      "registry 127.0.0.1:"
                          + closedPort
                          + " is unavailable: GET http://127.0.0.1:"
                          + closedPort
                          + "/v2/charts/x/manifests/1.0.0 failed: ");
            });
  }

  @Test
  void aChartLayerPastTheOperatorsLimitIsNotDownloaded() {
    OciRegistryClient limited =
        new OciRegistryClient(
            cache,
            OciRegistryClient.Hints.OPERATOR,
            ChartSourcePolicy.unrestricted()
                .withLimits(ChartSourcePolicy.DEFAULT_MAX_INDEX_BYTES, 100));

    assertThatThrownBy(() -> limited.pull(chart(), "0.2.0", null, Optional.empty()))
        .isInstanceOfSatisfying(
            HelmFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo("RepositoryUnavailable");
              assertThat(f.getMessage())
                  .isEqualTo(
                      "the chart layer of "
                          + chart()
                          + ":0.2.0 is larger than 100 bytes (its size in the manifest, or the"
                          + " operator's limit); it was not used");
            });
    assertThat(cache.resolve("oci").resolve(digest020.substring(7) + ".tgz")).doesNotExist();
  }

  private OciRegistryClient client() {
    return new OciRegistryClient(cache, OciRegistryClient.Hints.OPERATOR);
  }

  private static OciReference chart() {
    return OciReference.of(registry.chartsUrl(), "node-agent", true);
  }

  static void expectFailure(ThrowingCallable pull, String reason, String message) {
    assertThatThrownBy(pull)
        .isInstanceOfSatisfying(
            HelmFailure.class,
            failure -> {
              assertThat(failure.reason()).isEqualTo(reason);
              assertThat(failure.getMessage()).contains(message);
            });
  }
}
