package dev.orderly.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.StatusCommand;
import com.marcnuri.helm.UpgradeCommand;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link HelmClient} backed by helm-java, which runs Helm's Go code in-process. */
public class HelmJavaClient implements HelmClient {
  private final String kubeconfigContents;
  private final Supplier<String> impersonationBase;

  /**
   * @param kubeconfigContents a kubeconfig to use, or null for Helm's default loading rules
   *     (KUBECONFIG, ~/.kube/config, then the in-cluster service account)
   */
  public HelmJavaClient(String kubeconfigContents) {
    this(kubeconfigContents, () -> kubeconfigContents);
  }

  /**
   * @param impersonationBase the kubeconfig {@link #actingAs} copies, when {@code
   *     kubeconfigContents} is null (Helm's loading rules); read on first use
   */
  public HelmJavaClient(String kubeconfigContents, Supplier<String> impersonationBase) {
    this.kubeconfigContents = kubeconfigContents;
    this.impersonationBase = impersonationBase;
  }

  /** Helm with a copy of this client's kubeconfig whose user impersonates {@code user}. */
  @Override
  public HelmClient actingAs(String user) {
    String base = impersonationBase.get();
    if (base == null) {
      throw new UnsupportedOperationException(
          "no kubeconfig to impersonate a ServiceAccount with: pass --kubeconfig");
    }
    return new HelmJavaClient(ImpersonatedKubeconfig.rewrite(base, user));
  }

  @Override
  public HelmReleaseInfo install(HelmReleaseRequest request) {
    InstallCommand command =
        new Helm(request.chart())
            .install()
            .withName(request.releaseName())
            .withNamespace(request.namespace())
            .withValuesFile(request.valuesFile())
            .withTimeout(seconds(request));
    if (request.createNamespace()) {
      command.createNamespace();
    }
    if (request.description() != null) {
      command.withDescription(request.description());
    }
    if (kubeconfigContents != null) {
      command.withKubeConfigContents(kubeconfigContents);
    }
    return call(command::call);
  }

  @Override
  public HelmReleaseInfo upgrade(HelmReleaseRequest request) {
    // resetValues: the spec is the whole truth, values dropped from it must go away.
    UpgradeCommand command =
        new Helm(request.chart())
            .upgrade()
            .withName(request.releaseName())
            .withNamespace(request.namespace())
            .withValuesFile(request.valuesFile())
            .resetValues()
            .withTimeout(seconds(request));
    if (request.createNamespace()) {
      command.createNamespace();
    }
    if (request.description() != null) {
      command.withDescription(request.description());
    }
    if (kubeconfigContents != null) {
      command.withKubeConfigContents(kubeconfigContents);
    }
    return call(command::call);
  }

  @Override
  public Optional<HelmReleaseInfo> status(String releaseName, String namespace) {
    StatusCommand command = Helm.status(releaseName).withNamespace(namespace);
    if (kubeconfigContents != null) {
      command.withKubeConfigContents(kubeconfigContents);
    }
    try {
      return Optional.of(call(command::call));
    } catch (IllegalStateException e) {
      // helm-java reports Go errors as IllegalStateException carrying Helm's message.
      if (String.valueOf(e.getMessage()).contains("release: not found")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Runs one Helm call, then takes the process's signal handlers back from Go. */
  private static HelmReleaseInfo call(java.util.function.Supplier<?> helmCall) {
    try {
      Object result = helmCall.get();
      return result instanceof Release release ? toInfo(release) : null;
    } finally {
      JvmSignals.reclaim();
    }
  }

  private static int seconds(HelmReleaseRequest request) {
    return (int) Math.max(1, request.timeout().toSeconds());
  }

  private static HelmReleaseInfo toInfo(Release release) {
    String[] chart = HelmReleaseInfo.splitChartLabel(release.getChart());
    return new HelmReleaseInfo(
        release.getName(),
        release.getNamespace(),
        Integer.parseInt(release.getRevision().trim()),
        release.getStatus(),
        chart[0],
        chart[1],
        release.getLastDeployed());
  }
}
