package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.api.ChartSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartSourcePolicyTest {
  @TempDir Path root;
  private Path allowed;
  private Path outside;
  private ChartSourcePolicy policy;

  @BeforeEach
  void layout() throws IOException {
    root = root.toRealPath();
    allowed = Files.createDirectories(root.resolve("charts"));
    Files.createDirectories(allowed.resolve("web"));
    outside = Files.createDirectories(root.resolve("secrets"));
    Files.createSymbolicLink(allowed.resolve("out"), outside);
    Files.createSymbolicLink(allowed.resolve("alias"), allowed.resolve("web"));
    policy = policy(List.of("https://charts.example.com/stable/", "oci://"));
  }

  private ChartSourcePolicy policy(List<String> prefixes) {
    return new ChartSourcePolicy(List.of(allowed), prefixes, 1024, 1024);
  }

  @Test
  void aChartUnderAnAllowedDirectoryIsReadFromItsRealPath() throws IOException {
    assertThat(policy.allowedPath(allowed + "/web")).isEqualTo(allowed.resolve("web"));
    assertThat(policy.allowedPath(allowed + "/alias")).isEqualTo(allowed.resolve("web"));
    assertThat(policy.allowedPath(allowed + "/web/../web")).isEqualTo(allowed.resolve("web"));
  }

  @Test
  void aMissingChartUnderAnAllowedDirectoryIsLeftToTheNotFoundMessage() {
    assertThat(policy.allowedPath(allowed + "/gone")).isEqualTo(allowed.resolve("gone"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/etc", "/etc/passwd", "relative/chart", "/proc/self/root"})
  void pathsOutsideAreRefusedBeforeAnythingIsLookedAt(String path) {
    assertThatThrownBy(() -> policy.check(ChartSource.fromPath(path)))
        .isInstanceOfSatisfying(
            HelmFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo("ChartPathNotAllowed");
              assertThat(f.stalled()).isTrue();
              assertThat(f.getMessage())
                  .startsWith("chart.path " + path + " is not under the directories")
                  .contains(allowed.toString())
                  .contains("--allowed-chart-paths");
            });
  }

  @Test
  void dotDotAndSymlinksOutAreRefused() {
    for (String path : List.of(allowed + "/../secrets", allowed + "/out", allowed + "/out/x")) {
      assertThatThrownBy(() -> policy.allowedPath(path))
          .as(path)
          .isInstanceOfSatisfying(
              HelmFailure.class, f -> assertThat(f.reason()).isEqualTo("ChartPathNotAllowed"));
    }
  }

  @Test
  void aSiblingDirectoryWithTheSamePrefixIsNotUnderIt() throws IOException {
    Files.createDirectories(root.resolve("charts-evil/x"));

    assertThatThrownBy(() -> policy.allowedPath(root + "/charts-evil/x"))
        .isInstanceOf(HelmFailure.class);
  }

  @Test
  void repositoryUrlsAreComparedByHostPortAndPathNotByText() {
    assertThat(policy.allows("https://charts.example.com/stable")).isTrue();
    assertThat(policy.allows("https://charts.example.com/stable/web-1.0.0.tgz")).isTrue();
    assertThat(policy.allows("https://CHARTS.example.com:443/stable/index.yaml")).isTrue();
    assertThat(policy.allows("https://charts.example.com/stable-evil/index.yaml")).isFalse();
    assertThat(policy.allows("https://charts.example.com/stable/../private/x.tgz")).isFalse();
    assertThat(policy.allows("https://charts.example.com/stable/%2e%2e/private")).isFalse();
    assertThat(policy.allows("https://charts.example.com/stable/web..1.0.0.tgz")).isTrue();
    assertThat(policy.allows("https://charts.example.com.evil.io/stable/index.yaml")).isFalse();
    assertThat(policy.allows("https://charts.example.com@evil.io/stable/index.yaml")).isFalse();
    assertThat(policy.allows("https://charts.example.com:8443/stable/index.yaml")).isFalse();
    assertThat(policy.allows("http://charts.example.com/stable/index.yaml")).isFalse();
    assertThat(policy.allows("file:///etc/passwd")).isFalse();
    assertThat(policy.allows("not a url")).isFalse();
  }

  @Test
  void theDefaultsAllowAnyHttpsAndOciButNoPlainHttpOrLocalFiles() {
    ChartSourcePolicy defaults = ChartSourcePolicy.defaults();

    assertThat(defaults.allows("https://charts.bitnami.com/bitnami")).isTrue();
    assertThat(defaults.allows("oci://ghcr.io/charts")).isTrue();
    assertThat(defaults.allows("http://kubernetes.default.svc/api")).isFalse();
    assertThat(defaults.allows("http://169.254.169.254/latest/meta-data")).isFalse();
    assertThat(defaults.chartDirectories()).containsExactly(Path.of("/opt/orderly/charts"));
    assertThatThrownBy(() -> defaults.check(ChartSource.fromPath("/")))
        .isInstanceOfSatisfying(
            HelmFailure.class, f -> assertThat(f.reason()).isEqualTo("ChartPathNotAllowed"));
  }

  @Test
  void anInsecureOciRegistryMustBeAllowedAsPlainHttp() {
    ChartSource source = ChartSource.fromRepository("oci://10.0.0.5:5000/charts", "web", "1.0.0");
    source.setInsecure(true);

    assertThatThrownBy(() -> policy.check(source))
        .isInstanceOfSatisfying(
            HelmFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo("RepositoryNotAllowed");
              assertThat(f.getMessage())
                  .contains("with chart.insecure (plain http://10.0.0.5:5000/charts)")
                  .contains("--allowed-repositories");
            });
    policy(List.of("http://10.0.0.5:5000/")).check(source);
  }

  @Test
  void aRepositoryOutsideThePrefixesIsRefused() {
    assertThatThrownBy(
            () ->
                policy.check(
                    ChartSource.fromRepository("https://evil.example.com/", "web", "1.0.0")))
        .isInstanceOfSatisfying(
            HelmFailure.class,
            f ->
                assertThat(f.getMessage())
                    .startsWith(
                        "chart.repository https://evil.example.com/ is not under the operator's"
                            + " allowed repositories (https://charts.example.com/stable/,"
                            + " oci://)"));
  }

  @Test
  void aMalformedPrefixIsRefusedWhenTheOperatorStarts() {
    assertThatThrownBy(() -> policy(List.of("charts.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a URL prefix");
    assertThatThrownBy(() -> policy(List.of("https://user@charts.example.com/")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
