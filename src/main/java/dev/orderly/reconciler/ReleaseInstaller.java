package dev.orderly.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.chart.ChartRenderException;
import dev.orderly.chart.ChartRenderer;
import dev.orderly.chart.HookFinding;
import dev.orderly.chart.HookValidator;
import dev.orderly.chart.KubeCapabilities;
import dev.orderly.chart.RenderRequest;
import dev.orderly.chart.RenderedChart;
import dev.orderly.helm.ChartResolver;
import dev.orderly.helm.HelmClient;
import dev.orderly.helm.HelmFailure;
import dev.orderly.helm.HelmReleaseInfo;
import dev.orderly.helm.HelmReleaseRequest;
import dev.orderly.helm.PermissionRefusal;
import dev.orderly.helm.RegistryCredentials;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Helm side of reconciling one OrderedRelease: fetch the chart, render it to catch template
 * errors and invalid hooks before touching the cluster, then install or upgrade. Runs on a Helm
 * thread. The render sees the connected cluster's version and API versions, as the install will;
 * {@code lookup} returns nothing in it, as in {@code helm template}, rather than asking whatever
 * cluster the process's default kubeconfig names (the install's lookups are Helm's own).
 */
public class ReleaseInstaller {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /**
   * What an install or upgrade produced, with the hook findings it was allowed despite.
   *
   * @param chartDigest the manifest digest of a chart from an OCI registry, else null
   */
  public record Result(
      HelmReleaseInfo release, boolean upgraded, List<HookFinding> findings, String chartDigest) {}

  private final HelmClient helm;
  private final ChartResolver charts;
  private final ChartRenderer renderer;
  private final Supplier<KubeCapabilities> capabilities;
  private final Path workDir;

  /**
   * @param capabilities the connected cluster's version and API versions, e.g. from {@code
   *     ClusterDiscovery}; it may throw {@link KubernetesClientException}
   */
  public ReleaseInstaller(
      HelmClient helm,
      ChartResolver charts,
      ChartRenderer renderer,
      Supplier<KubeCapabilities> capabilities,
      Path workDir) {
    this.helm = helm;
    this.charts = charts;
    this.renderer = renderer;
    this.capabilities = capabilities;
    this.workDir = workDir;
  }

  /**
   * Installs the release if Helm has none of that name, else upgrades it.
   *
   * @throws HelmFailure naming what went wrong, with a condition reason
   */
  public Result apply(
      OrderedRelease resource, ObjectNode values, Optional<RegistryCredentials> credentials) {
    ChartResolver.ResolvedChart resolved =
        charts.resolve(resource.getSpec().getChart(), credentials);
    Path chart = resolved.path();
    Path valuesFile = writeValues(values);
    try {
      Optional<HelmReleaseInfo> existing =
          helm.status(resource.releaseName(), resource.targetNamespace());
      boolean upgrade = existing.isPresent();
      HelmReleaseRequest request = request(resource, chart, valuesFile, upgrade);
      List<HookFinding> findings = validate(request, clusterCapabilities(upgrade));
      if (!findings.isEmpty() && !resource.getSpec().getInstall().isAllowInvalidHooks()) {
        throw new HelmFailure(Reasons.INVALID_HOOKS, describe(findings), true);
      }
      try {
        HelmReleaseInfo release = upgrade ? helm.upgrade(request) : helm.install(request);
        return new Result(release, upgrade, findings, resolved.digest());
      } catch (IllegalStateException e) {
        Optional<String> refusal = PermissionRefusal.describe(e.getMessage());
        if (refusal.isPresent()) {
          // Retrying will not help until someone changes the operator's RBAC: stalled.
          throw new HelmFailure(
              Reasons.INSUFFICIENT_PERMISSIONS,
              (upgrade ? "helm upgrade refused: " : "helm install refused: ") + refusal.get(),
              true,
              e);
        }
        throw new HelmFailure(
            upgrade ? Reasons.UPGRADE_FAILED : Reasons.INSTALL_FAILED,
            (upgrade ? "helm upgrade failed: " : "helm install failed: ") + e.getMessage(),
            false,
            e);
      }
    } finally {
      deleteQuietly(valuesFile);
    }
  }

  /**
   * Renders the chart with every hook visible and checks the hook annotations, before anything
   * reaches the cluster: Helm would silently drop a resource with an unknown hook event.
   */
  private List<HookFinding> validate(HelmReleaseRequest request, KubeCapabilities cluster) {
    try {
      RenderedChart rendered =
          renderer.render(
              RenderRequest.of(request.chart(), request.releaseName(), request.namespace())
                  .withValuesFile(request.valuesFile())
                  .withCapabilities(cluster));
      return new HookValidator()
          .validate(rendered).stream().filter(HookFinding::affectsInstall).toList();
    } catch (ChartRenderException e) {
      // Template errors are the chart's or the values' fault: retrying will not fix them.
      throw new HelmFailure(
          Reasons.RENDER_FAILED, "the chart does not render: " + e.getMessage(), true, e);
    }
  }

  private KubeCapabilities clusterCapabilities(boolean upgrade) {
    try {
      return capabilities.get();
    } catch (KubernetesClientException e) {
      // The cluster will likely answer again; Helm could not have installed anything either.
      throw new HelmFailure(
          upgrade ? Reasons.UPGRADE_FAILED : Reasons.INSTALL_FAILED,
          "cannot read the cluster's version and API versions: " + e.getMessage(),
          false,
          e);
    }
  }

  /** The findings as one condition message, most important first, bounded in length. */
  public static String describe(List<HookFinding> findings) {
    StringBuilder message =
        new StringBuilder(
            findings.size()
                + " invalid hook annotation(s); Helm would drop or misrun"
                + " these resources: ");
    for (int i = 0; i < findings.size(); i++) {
      if (message.length() > 800) {
        message.append("; and ").append(findings.size() - i).append(" more");
        break;
      }
      message.append(i == 0 ? "" : "; ").append(findings.get(i));
    }
    return message.toString();
  }

  private static HelmReleaseRequest request(
      OrderedRelease resource, Path chart, Path valuesFile, boolean upgrade) {
    String timeout =
        upgrade
            ? resource.getSpec().getUpgrade().getTimeout()
            : resource.getSpec().getInstall().getTimeout();
    return new HelmReleaseRequest(
        resource.releaseName(),
        resource.targetNamespace(),
        chart,
        valuesFile,
        resource.getSpec().isCreateNamespace(),
        Durations.parse(timeout, DEFAULT_TIMEOUT));
  }

  private Path writeValues(ObjectNode values) {
    try {
      Files.createDirectories(workDir);
      Path file = Files.createTempFile(workDir, "values", ".yaml");
      YAML.writeValue(file.toFile(), values);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the values file under " + workDir, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temp file is harmless; the next start of the operator uses a fresh dir.
    }
  }
}
