package dev.orderly.reconciler;

import dev.orderly.api.ChartSource;
import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.UninstallOptions;
import dev.orderly.api.ValuesReference;
import dev.orderly.helm.ChartCoordinates;
import dev.orderly.helm.ChartVersions;
import dev.orderly.helm.OciReference;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a spec for mistakes the API server's schema cannot catch (or that an older CRD let
 * through), and names each one so the user can fix it from the condition message alone.
 */
public final class SpecValidator {
  // Helm's own rule for release names (pkg/chartutil: DNS-1123 subdomain, at most 53 characters).
  private static final Pattern RELEASE_NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final int MAX_RELEASE_NAME = 53;
  // A ServiceAccount's name is a DNS-1123 subdomain.
  private static final int MAX_SERVICE_ACCOUNT_NAME = 253;

  private SpecValidator() {}

  /** Every problem found, in spec order; empty when the spec is usable. */
  public static List<String> problems(OrderedRelease resource) {
    List<String> problems = new ArrayList<>();
    OrderedReleaseSpec spec = resource.getSpec();
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    checkChart(spec.getChart(), problems);
    if (spec.getValues() != null && !spec.getValues().isNull() && !spec.getValues().isObject()) {
      problems.add(
          "spec.values must be a map of values, as in values.yaml, not a "
              + spec.getValues().getNodeType().name().toLowerCase());
    }
    for (int i = 0; i < spec.getValuesFrom().size(); i++) {
      ValuesReference ref = spec.getValuesFrom().get(i);
      if (ref == null || ref.getKind() == null || blank(ref.getName())) {
        problems.add("spec.valuesFrom[" + i + "] needs a kind (ConfigMap or Secret) and a name");
      }
    }
    for (int i = 0; i < spec.getDependsOn().size(); i++) {
      var dependency = spec.getDependsOn().get(i);
      if (dependency == null || blank(dependency.getName())) {
        problems.add("spec.dependsOn[" + i + "] needs the name of an OrderedRelease");
      }
    }
    String releaseName = resource.releaseName();
    if (releaseName.length() > MAX_RELEASE_NAME || !RELEASE_NAME.matcher(releaseName).matches()) {
      problems.add(
          "release name '"
              + releaseName
              + "' is not valid for Helm: use at most 53 lowercase letters, digits, '-' and '.'");
    }
    checkDuration("spec.install.timeout", spec.getInstall().getTimeout(), problems);
    checkDuration("spec.upgrade.timeout", spec.getUpgrade().getTimeout(), problems);
    checkDuration("spec.uninstall.timeout", spec.getUninstall().getTimeout(), problems);
    checkDuration("spec.uninstall.hookTimeout", spec.getUninstall().getHookTimeout(), problems);
    checkDuration(
        "spec.uninstall.dependentsTimeout", spec.getUninstall().getDependentsTimeout(), problems);
    String account = spec.getServiceAccountName();
    if (account != null
        && (account.length() > MAX_SERVICE_ACCOUNT_NAME
            || !RELEASE_NAME.matcher(account).matches())) {
      problems.add(
          "spec.serviceAccountName '"
              + account
              + "' is not a ServiceAccount name: use lowercase letters, digits, '-' and '.'; it"
              + " names a ServiceAccount of this object's namespace");
    }
    problems.addAll(daemonSetProblems(resource));
    UninstallOptions.Propagation propagation = spec.getUninstall().getDeletionPropagation();
    if (propagation != null && propagation != UninstallOptions.Propagation.Foreground) {
      // The CRD refuses it; an object stored under an earlier CRD may still carry it.
      problems.add(
          "spec.uninstall.deletionPropagation "
              + propagation
              + " is not supported: only Foreground keeps every pod's RBAC until the pod is gone;"
              + " remove the field or set Foreground");
    }
    return problems;
  }

  /**
   * An empty selector would match every DaemonSet of the namespace, the cluster's own agents
   * included: refused, not read as "all".
   */
  public static List<String> daemonSetProblems(OrderedRelease resource) {
    List<String> problems = new ArrayList<>();
    if (resource.getSpec() == null) {
      return problems;
    }
    List<DaemonSetSelector> selectors = resource.getSpec().getUninstall().getDaemonSets();
    for (int i = 0; i < selectors.size(); i++) {
      LabelSelector selector = selectors.get(i) == null ? null : selectors.get(i).getSelector();
      boolean empty =
          selector == null
              || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                  && (selector.getMatchExpressions() == null
                      || selector.getMatchExpressions().isEmpty()));
      if (empty) {
        problems.add(
            "spec.uninstall.daemonSets["
                + i
                + "].selector is empty, which would select every DaemonSet of the namespace"
                + " (the cluster's own agents too): give matchLabels or matchExpressions that"
                + " only the DaemonSets to delete carry");
      }
    }
    return problems;
  }

  private static void checkChart(ChartSource chart, List<String> problems) {
    if (chart == null) {
      problems.add("spec.chart is missing: set chart.path, or chart.repository, name and version");
      return;
    }
    boolean hasPath = !blank(chart.getPath());
    boolean hasRepository = !blank(chart.getRepository());
    if (hasPath && hasRepository) {
      problems.add(
          "spec.chart has two sources: set either chart.path or chart.repository, not both");
    } else if (!hasPath && !hasRepository) {
      problems.add(
          "spec.chart has no source: set chart.path, or chart.repository with name and version");
    } else if (hasRepository) {
      String repository = chart.getRepository();
      boolean oci = chart.fromOciRegistry();
      if (!oci && !repository.startsWith("http://") && !repository.startsWith("https://")) {
        problems.add(
            "spec.chart.repository '"
                + repository
                + "' must be an http://, https:// or oci:// URL");
      }
      if (blank(chart.getName()) || blank(chart.getVersion())) {
        problems.add("spec.chart.repository needs chart.name and chart.version too");
      } else {
        // Both reach URLs and messages: no path separators, '..' or control characters.
        ChartCoordinates.nameProblem(chart.getName()).ifPresent(p -> problems.add("spec." + p));
        ChartCoordinates.versionProblem(chart.getVersion())
            .ifPresent(p -> problems.add("spec." + p));
        if (oci) {
          checkOciChart(chart, problems);
        }
      }
    }
    if (chart.getDigest() != null && !chart.fromOciRegistry()) {
      problems.add("spec.chart.digest pins an OCI artifact: it needs an oci:// chart.repository");
    }
    if (chart.getSecretRef() != null && blank(chart.getSecretRef().getName())) {
      problems.add("spec.chart.secretRef needs the name of a Secret in this namespace");
    }
  }

  private static void checkOciChart(ChartSource chart, List<String> problems) {
    try {
      OciReference.of(chart.getRepository(), chart.getName(), chart.allowsPlainHttp());
    } catch (IllegalArgumentException e) {
      problems.add("spec.chart: " + e.getMessage());
    }
    // Helm takes a tag verbatim when it exists, so only what is neither a tag nor a range is wrong.
    String version = chart.getVersion();
    if (!ChartVersions.isExact(version) && !OciReference.validTag(version)) {
      try {
        ChartVersions.constraint(version);
      } catch (IllegalArgumentException e) {
        problems.add("spec.chart.version " + e.getMessage());
      }
    }
    if (chart.getDigest() != null && !OciReference.validDigest(chart.getDigest())) {
      problems.add(
          "spec.chart.digest '"
              + chart.getDigest()
              + "' must be sha256: and 64 lowercase hex digits");
    }
  }

  private static void checkDuration(String field, String value, List<String> problems) {
    try {
      Durations.parse(value, null);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
    }
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
