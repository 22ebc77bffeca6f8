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
import dev.orderly.helm.OversizedReleaseException;
import dev.orderly.helm.PermissionRefusal;
import dev.orderly.helm.RegistryCredentials;
import dev.orderly.helm.ReleaseOwnership;
import dev.orderly.helm.ReleaseOwnership.Claim;
import dev.orderly.helm.ReleaseOwnership.OtherOwner;
import dev.orderly.helm.ReleaseOwnership.Ours;
import dev.orderly.helm.ReleaseOwnership.Proceed;
import dev.orderly.helm.ReleaseOwnership.Refuse;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.kube.ReleaseClaims;
import dev.orderly.kube.ReleaseClients;
import dev.orderly.kube.ServiceAccountIdentity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Helm side of reconciling one OrderedRelease: fetch the chart, render it to catch template
 * errors and invalid hooks before touching the cluster, then install or upgrade. Runs on a Helm
 * thread. The render sees the connected cluster's version and API versions, as the install will;
 * {@code lookup} returns nothing in it, as in {@code helm template}, rather than asking whatever
 * cluster the process's default kubeconfig names (the install's lookups are Helm's own).
 */
public class ReleaseInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseInstaller.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /**
   * What an install or upgrade produced, with the hook findings it was allowed despite.
   *
   * @param chartDigest the manifest digest of a chart from an OCI registry, else null
   * @param adopted whether it took over a release installed outside Orderly
   */
  public record Result(
      HelmReleaseInfo release,
      boolean upgraded,
      List<HookFinding> findings,
      String chartDigest,
      boolean adopted) {
    public Result(
        HelmReleaseInfo release, boolean upgraded, List<HookFinding> findings, String chartDigest) {
      this(release, upgraded, findings, chartDigest, false);
    }
  }

  private final ReleaseClients clients;
  private final ChartResolver charts;
  private final ChartRenderer renderer;
  private final Supplier<KubeCapabilities> capabilities;
  private final Path workDir;
  private final StaleLockRecovery locks;
  private final ReleaseClaims claims;

  /**
   * @param clients Helm and the Kubernetes calls for a release: as its ServiceAccount when it has
   *     one, else as the operator
   * @param capabilities the connected cluster's version and API versions, e.g. from {@code
   *     ClusterDiscovery}; it may throw {@link KubernetesClientException}
   * @param locks frees the release from a crashed operation's pending record first
   * @param claims whose a release is; its records are read and marked through {@code clients}
   */
  public ReleaseInstaller(
      ReleaseClients clients,
      ChartResolver charts,
      ChartRenderer renderer,
      Supplier<KubeCapabilities> capabilities,
      Path workDir,
      StaleLockRecovery locks,
      ReleaseClaims claims) {
    this.clients = clients;
    this.claims = claims;
    this.charts = charts;
    this.renderer = renderer;
    this.capabilities = capabilities;
    this.workDir = workDir;
    this.locks = locks;
  }

  /**
   * Refuses a chart source the operator's {@link dev.orderly.helm.ChartSourcePolicy} does not
   * allow, before anything is read or fetched for it.
   *
   * @throws HelmFailure ChartPathNotAllowed or RepositoryNotAllowed, stalled
   */
  public void checkChartSource(OrderedRelease resource) {
    charts.policy().check(resource.getSpec().getChart());
  }

  /**
   * Installs the release if Helm has none of that name, else upgrades it, provided the release is
   * this object's (or adopted, see {@link ReleaseOwnership}); marks its newest record as this
   * object's afterwards.
   *
   * @throws HelmFailure naming what went wrong, with a condition reason; {@code ForeignRelease}
   *     when the release is someone else's, and then nothing was changed
   */
  public Result apply(
      OrderedRelease resource, ObjectNode values, Optional<RegistryCredentials> credentials) {
    // Ownership and the pending lock read Helm's records too: sizes first. Helm's records are
    // read, marked and unlocked as the release's ServiceAccount when it has one, as Helm's own
    // calls are: its RBAC decides, not the operator's.
    checkRecordSizes(resource);
    boolean adopting = claim(resource);
    // After the ownership check: only this object's own crashed operation is unlocked.
    try {
      locks.clear(resource, clients.objects(resource));
    } catch (KubernetesClientException e) {
      forbidden(resource, e, "recovering a stale pending record");
      throw e;
    }
    Result result;
    try {
      result = applyChart(resource, values, credentials);
    } catch (HelmFailure failure) {
      // A failed install still leaves Helm's record, and the retry must find it ours. Unless
      // Helm refused because another tool's install of that name got there first.
      boolean helmWrote =
          failure.getCause() instanceof IllegalStateException cause
              && !String.valueOf(cause.getMessage()).contains("cannot re-use a name");
      if (helmWrote) {
        markQuietly(resource);
      }
      throw failure;
    }
    markQuietly(resource);
    return adopting
        ? new Result(
            result.release(), result.upgraded(), result.findings(), result.chartDigest(), true)
        : result;
  }

  /**
   * Refuses a release that is not this object's, before anything is changed; marks an adopted or
   * unmarked own release first, so Helm carries the mark into the revision it is about to write.
   *
   * @return whether this run takes over a release that was not Orderly's
   */
  private boolean claim(OrderedRelease resource) {
    ReleaseClaims claims = claimsFor(resource);
    try {
      Claim claim = claims.claim(resource);
      boolean ownerGone = claim instanceof OtherOwner && claims.ownerGone(claim);
      var verdict = ReleaseOwnership.toApply(resource, claim, ownerGone);
      if (verdict instanceof Refuse refuse) {
        throw new HelmFailure(Reasons.FOREIGN_RELEASE, refuse.message(), true);
      }
      boolean adopting = ((Proceed) verdict).adopting();
      if (adopting || (claim instanceof Ours ours && !ours.newestLabelled())) {
        claims.mark(resource);
      }
      return adopting;
    } catch (KubernetesClientException e) {
      forbidden(resource, e, "reading or marking Helm's record of the release");
      throw new HelmFailure(
          Reasons.INSTALL_FAILED,
          "cannot read or mark Helm's record of release "
              + resource.targetNamespace()
              + "/"
              + resource.releaseName()
              + ": "
              + e.getMessage(),
          false,
          e);
    }
  }

  /** Marks the newest record; Helm's description already names the owner if this fails. */
  private void markQuietly(OrderedRelease resource) {
    try {
      claimsFor(resource).mark(resource);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not label Helm's record of release {}/{} as this OrderedRelease's: {}",
          resource.targetNamespace(),
          resource.releaseName(),
          e.getMessage());
    }
  }

  /** Whose the release is, its records read and marked as the release's own calls are made. */
  private ReleaseClaims claimsFor(OrderedRelease resource) {
    return clients.impersonated(resource).map(claims::readingRecordsAs).orElse(claims);
  }

  /**
   * Throws the stalling {@code ServiceAccountForbidden} failure when {@code e} is the API server
   * refusing the release's ServiceAccount (403) {@code what}, e.g. reading Helm's records.
   */
  private void forbidden(OrderedRelease resource, KubernetesClientException e, String what) {
    Optional<ServiceAccountIdentity> account = clients.identity(resource);
    if (account.isEmpty() || e.getCode() != 403) {
      return;
    }
    String server =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    throw new HelmFailure(
        Reasons.SERVICE_ACCOUNT_FORBIDDEN,
        what
            + " refused: "
            + PermissionRefusal.describeFor(server, account.get().toString())
                .orElse(account.get() + " was refused (403): " + server),
        true,
        e);
  }

  private Result applyChart(
      OrderedRelease resource, ObjectNode values, Optional<RegistryCredentials> credentials) {
    ChartResolver.ResolvedChart resolved =
        charts.resolve(resource.getSpec().getChart(), credentials);
    Path chart = resolved.path();
    Path valuesFile = writeValues(values);
    HelmClient helm = clients.helm(resource);
    Optional<ServiceAccountIdentity> actingAs = clients.identity(resource);
    try {
      Optional<HelmReleaseInfo> existing = status(helm, resource, actingAs);
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
        if (actingAs.isPresent()) {
          forbidden(e, actingAs.get(), upgrade ? "helm upgrade" : "helm install");
        }
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

  /** Helm's status of the release, read as the release's ServiceAccount when it has one. */
  private static Optional<HelmReleaseInfo> status(
      HelmClient helm, OrderedRelease resource, Optional<ServiceAccountIdentity> actingAs) {
    try {
      return helm.status(resource.releaseName(), resource.targetNamespace());
    } catch (IllegalStateException e) {
      actingAs.ifPresent(account -> forbidden(e, account, "helm status"));
      throw e;
    }
  }

  /**
   * Throws the stalling {@code ServiceAccountForbidden} failure when {@code e} is the API server
   * refusing {@code account}: a permission only a change of its RBAC (or of the chart) brings.
   */
  private static void forbidden(
      IllegalStateException e, ServiceAccountIdentity account, String what) {
    Optional<String> refusal = PermissionRefusal.describeFor(e.getMessage(), account.toString());
    if (refusal.isPresent()) {
      throw new HelmFailure(
          Reasons.SERVICE_ACCOUNT_FORBIDDEN, what + " refused: " + refusal.get(), true, e);
    }
  }

  /**
   * Helm reads every revision of the release, unpacking each without a bound in this process; a
   * gzip bomb among them (anyone who may create Secrets in the namespace can label one as the
   * release's) would take the whole operator down, so Helm is not called while one is there. Other
   * flaws are Helm's to report.
   */
  private void checkRecordSizes(OrderedRelease resource) {
    List<Secret> secrets;
    try {
      secrets =
          clients
              .objects(resource)
              .releaseSecrets(resource.targetNamespace(), resource.releaseName());
    } catch (KubernetesClientException e) {
      forbidden(resource, e, "reading Helm's records of the release");
      throw new HelmFailure(
          Reasons.INSTALL_FAILED,
          "cannot list Helm's records of the release: " + e.getMessage(),
          false,
          e);
    }
    for (Secret secret : secrets) {
      try {
        ReleaseRecordCodec.checkSize(secret);
      } catch (OversizedReleaseException e) {
        throw new HelmFailure(
            Reasons.RELEASE_RECORD_UNREADABLE,
            e.getMessage()
                + ". Helm would unpack it without a bound, so it is not called: delete that"
                + " Secret",
            true,
            e);
      }
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
        Durations.parse(timeout, DEFAULT_TIMEOUT),
        ReleaseOwnership.description(resource));
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
