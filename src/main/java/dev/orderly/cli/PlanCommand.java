package dev.orderly.cli;

import dev.orderly.api.UninstallOptions;
import dev.orderly.chart.ChartIdentity;
import dev.orderly.chart.ChartRenderException;
import dev.orderly.chart.ChartRenderer;
import dev.orderly.chart.KubeCapabilities;
import dev.orderly.chart.RenderRequest;
import dev.orderly.chart.RenderedChart;
import dev.orderly.helm.ChartResolver;
import dev.orderly.helm.HelmFailure;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.MalformedReleaseException;
import dev.orderly.helm.OciRegistryClient;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.kube.ClusterDiscovery;
import dev.orderly.teardown.ChartPlan;
import dev.orderly.teardown.ResourceScopes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code orderly plan}: prints the teardown the operator would perform for a chart (rendered in
 * process, no cluster needed) or for a live release (from its Helm record), then the hook findings.
 * Exit status 0 when there are no findings, 1 when there are, 2 for usage, chart or cluster errors.
 *
 * <p>Only {@code --from-cluster} reads a cluster: the release record without a chart, or the
 * cluster's version and API versions to render a chart for. Without it nothing is sent anywhere:
 * {@code lookup} returns nothing, as in {@code helm template}.
 */
final class PlanCommand {

  static final int CLEAN = 0;
  static final int FINDINGS = 1;
  static final int ERROR = 2;

  private PlanCommand() {}

  static int run(Arguments args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err);
  }

  /** As {@link #run(Arguments, PrintStream, PrintStream)}, reading a password from {@code in}. */
  static int run(Arguments args, InputStream in, PrintStream out, PrintStream err) {
    if (TeardownOrderCommand.wanted(args)) {
      return TeardownOrderCommand.run(args, out);
    }
    PlanOptions options = PlanOptions.parse(args, in);
    if (options.remote() == null) {
      return plan(options, null, out, err);
    }
    Path cache = null;
    try {
      cache = Files.createTempDirectory("orderly-plan");
      ChartResolver.ResolvedChart pulled =
          new ChartResolver(cache, OciRegistryClient.Hints.CLI)
              .resolve(options.remote().source(), options.remote().credentials());
      // The table shows the chart's version; the origin adds where, and exactly which artifact.
      String origin = options.remote().reference() + "@" + pulled.digest();
      return plan(options.withChart(pulled.path()), origin, out, err);
    } catch (HelmFailure e) {
      err.println("orderly plan: " + e.getMessage() + " [" + e.reason() + "]");
      return ERROR;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the pulled chart", e);
    } finally {
      deleteTree(cache);
    }
  }

  private static int plan(PlanOptions options, String origin, PrintStream out, PrintStream err) {
    PlanReport report;
    try {
      if (options.chart() == null) {
        report = fromRecord(options);
      } else if (options.fromCluster()) {
        report = fromChartOnCluster(options);
      } else {
        report = fromChart(options, options.capabilities(), ResourceScopes.BUILT_IN);
      }
      if (origin != null) {
        report = new PlanReport(report.plan(), report.options(), origin);
      }
    } catch (ChartRenderException e) {
      err.println("orderly plan: " + e.getMessage() + versionHint(options, e));
      return ERROR;
    } catch (MalformedReleaseException | UncheckedIOException e) {
      err.println("orderly plan: " + e.getMessage());
      return ERROR;
    }
    out.print(
        options.format() == PlanOptions.Format.JSON
            ? PlanJson.render(report)
            : PlanTable.render(report));
    return report.plan().findings().isEmpty() ? CLEAN : FINDINGS;
  }

  private static void deleteTree(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover temp directory is harmless; the plan itself is done.
    }
  }

  private static String versionHint(PlanOptions options, ChartRenderException e) {
    boolean versionRefused =
        String.valueOf(e.getMessage()).contains("incompatible with Kubernetes");
    return versionRefused && !options.fromCluster()
        ? " (plan renders for "
            + options.capabilities().kubeVersion()
            + "; choose another with --kube-version)"
        : "";
  }

  private static PlanReport fromChart(
      PlanOptions options, KubeCapabilities capabilities, ResourceScopes known) {
    // Helm's default would be a generated name; the chart's name keeps the plan predictable.
    String release = options.release().orElseGet(() -> ChartIdentity.read(options.chart()).name());
    RenderRequest request =
        new RenderRequest(
            options.chart(),
            release,
            options.namespace(),
            options.valuesFiles(),
            options.setValues(),
            capabilities);
    RenderedChart chart = new ChartRenderer().render(request);
    ChartPlan plan =
        ChartPlan.fromChart(chart, release, options.namespace(), options.uninstall(), known);
    return new PlanReport(plan, options.uninstall(), options.chart().toString());
  }

  /**
   * The chart rendered for the cluster's version and API versions, as the operator would, with
   * custom kinds scoped as the cluster serves them.
   */
  private static PlanReport fromChartOnCluster(PlanOptions options) {
    ClusterTarget target = ClusterTarget.load(options.kubeconfig(), System.getenv());
    KubeCapabilities capabilities;
    ResourceScopes scopes;
    // A user waits on this: a short connect timeout and no retries (see fromRecord).
    try (KubernetesClient client = target.quickClient()) {
      ClusterDiscovery discovery = discovery(client);
      capabilities = discovery.capabilities();
      scopes = ResourceScopes.of(discovery.clusterScopedKinds());
    } catch (KubernetesClientException e) {
      throw target.failure("read the cluster's version and API versions", e);
    }
    return fromChart(options, capabilities, scopes);
  }

  private static ClusterDiscovery discovery(KubernetesClient client) {
    return new ClusterDiscovery(client, Clock.systemUTC(), ClusterDiscovery.DEFAULT_MAX_AGE);
  }

  /**
   * The plan from the latest record of {@code release} in {@code namespace}; also {@code orderly
   * uninstall --dry-run}'s.
   *
   * @throws IllegalArgumentException when the namespace holds no revision of the release
   */
  static PlanReport fromRecord(
      KubernetesClient client, String release, String namespace, UninstallOptions uninstall) {
    Secret secret = ClusterRelease.latest(client, release, namespace);
    HelmReleaseRecord record = ReleaseRecordCodec.decode(secret);
    ResourceScopes known = ResourceScopes.discovered(record, discovery(client)::clusterScopedKinds);
    ChartPlan plan = ChartPlan.fromRelease(record, uninstall, known);
    String origin =
        "Secret " + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    return new PlanReport(plan, uninstall, origin);
  }

  private static PlanReport fromRecord(PlanOptions options) {
    String release = options.release().orElseThrow();
    ClusterTarget target = ClusterTarget.load(options.kubeconfig(), System.getenv());
    // A user waits on this: a short connect timeout and no retries, so a cluster that is down
    // fails in seconds, not after a minute of backoff.
    try (KubernetesClient client = target.quickClient()) {
      return fromRecord(client, release, options.namespace(), options.uninstall());
    } catch (KubernetesClientException e) {
      throw target.failure(
          "read the Helm records of release " + release + " in namespace " + options.namespace(),
          e);
    }
  }
}
