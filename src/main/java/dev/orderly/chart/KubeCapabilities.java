package dev.orderly.chart;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes a chart is rendered for, as templates see it in {@code .Capabilities}: the version
 * that Chart.yaml's {@code kubeVersion} is checked against, and the API versions that {@code
 * .Capabilities.APIVersions.Has} finds.
 *
 * @param kubeVersion a Kubernetes version such as {@code v1.34.0} or {@code v1.30.4-eks-a737599}
 * @param apiVersions {@code group/version} and {@code group/version/Kind} entries, as {@code helm
 *     template --api-versions} takes them
 * @param fromCluster true when {@code apiVersions} is everything a cluster serves, so {@code Has}
 *     answers from it alone (as {@code helm install} does); false when it adds to Helm's built-in
 *     list (as {@code helm template} does)
 */
public record KubeCapabilities(String kubeVersion, List<String> apiVersions, boolean fromCluster) {

  /**
   * The version {@code orderly plan} renders for when not told otherwise: a current Kubernetes
   * minor, so charts declaring {@code kubeVersion: ">=1.2x.0-0"} render as they would on a cluster
   * people run today. (helm-java's own default is v1.20.0, which fails most current charts.)
   */
  public static final String DEFAULT_KUBE_VERSION = "v1.34.0";

  // What Helm's chartutil.ParseKubeVersion accepts in practice:
  // [v]major.minor[.patch][-pre][+build]
  private static final Pattern VERSION =
      Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?([-+][0-9A-Za-z.+-]+)?");

  /**
   * Checks the version, writes it as Kubernetes does ({@code 1.30} becomes {@code v1.30.0}) and
   * copies the list.
   *
   * @throws IllegalArgumentException naming the version when it is not one
   */
  public KubeCapabilities {
    Objects.requireNonNull(kubeVersion, "kubeVersion");
    Matcher matcher = VERSION.matcher(kubeVersion);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + kubeVersion + "' is not a Kubernetes version such as v1.34.0");
    }
    kubeVersion =
        "v"
            + matcher.group(1)
            + "."
            + matcher.group(2)
            + "."
            + (matcher.group(3) == null ? "0" : matcher.group(3))
            + Objects.toString(matcher.group(4), "");
    apiVersions = List.copyOf(apiVersions);
  }

  /** {@link #DEFAULT_KUBE_VERSION} with Helm's built-in API versions: {@code helm template}. */
  public static KubeCapabilities offlineDefault() {
    return offline(DEFAULT_KUBE_VERSION, List.of());
  }

  /** A version and API versions added to Helm's built-in ones, as {@code helm template} takes. */
  public static KubeCapabilities offline(String kubeVersion, List<String> extraApiVersions) {
    return new KubeCapabilities(kubeVersion, extraApiVersions, false);
  }

  /** Exactly what a cluster reports: its version and every API version it serves. */
  public static KubeCapabilities ofCluster(String kubeVersion, List<String> servedApiVersions) {
    return new KubeCapabilities(kubeVersion, servedApiVersions, true);
  }
}
