package dev.orderly.reconciler;

import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's multi-tenancy flags: the ServiceAccount a release naming none acts as ({@code
 * --default-service-account}) and whether a spec may name another namespace than its own ({@code
 * --no-cross-namespace-refs}). Pure.
 *
 * @param defaultServiceAccount null: a release naming no ServiceAccount acts as the operator
 */
public record TenancyPolicy(String defaultServiceAccount, boolean noCrossNamespaceRefs) {
  /** No lockdown: the operator's identity by default, any namespace may be named. */
  public static final TenancyPolicy NONE = new TenancyPolicy(null, false);

  /**
   * The spec's references outside the OrderedRelease's namespace (targetNamespace, dependsOn,
   * uninstall.daemonSets), one message each, when they are refused; empty when none is or the flag
   * is off. valuesFrom and chart.secretRef name objects of the object's own namespace only, so they
   * cannot point elsewhere.
   */
  public List<String> crossNamespaceProblems(OrderedRelease resource) {
    List<String> problems = new ArrayList<>();
    if (!noCrossNamespaceRefs || resource.getSpec() == null) {
      return problems;
    }
    String own = resource.getMetadata().getNamespace();
    String target = resource.getSpec().getTargetNamespace();
    if (outside(target, own)) {
      problems.add(
          refused(
              "spec.targetNamespace",
              target,
              own,
              "remove it, or create the OrderedRelease in " + target));
    }
    List<DependencyReference> dependsOn = resource.getSpec().getDependsOn();
    for (int i = 0; dependsOn != null && i < dependsOn.size(); i++) {
      String namespace = dependsOn.get(i) == null ? null : dependsOn.get(i).getNamespace();
      if (outside(namespace, own)) {
        problems.add(
            refused(
                "spec.dependsOn[" + i + "].namespace",
                namespace,
                own,
                "depend only on OrderedReleases of " + own));
      }
    }
    problems.addAll(crossNamespaceDaemonSets(resource));
    return problems;
  }

  /**
   * What a teardown would read or change outside the object's namespace, when that is refused: the
   * targetNamespace (where the plan is read from and deleted in, and where a uninstall.daemonSets
   * selector naming no namespace looks) and the uninstall.daemonSets namespaces. Empty when none is
   * or the flag is off. dependsOn is not among them: the teardown only reads the informer's cache
   * for it.
   */
  public List<String> teardownProblems(OrderedRelease resource) {
    List<String> problems = new ArrayList<>();
    if (!noCrossNamespaceRefs || resource.getSpec() == null) {
      return problems;
    }
    String own = resource.getMetadata().getNamespace();
    String target = resource.getSpec().getTargetNamespace();
    if (outside(target, own)) {
      problems.add(
          refused(
              "spec.targetNamespace (and every uninstall.daemonSets selector naming no namespace)",
              target,
              own,
              "nothing there is read or deleted for this object"));
    }
    problems.addAll(crossNamespaceDaemonSets(resource));
    return problems;
  }

  /** The uninstall.daemonSets namespaces outside the object's own, when they are refused. */
  public List<String> crossNamespaceDaemonSets(OrderedRelease resource) {
    List<String> problems = new ArrayList<>();
    if (!noCrossNamespaceRefs || resource.getSpec() == null) {
      return problems;
    }
    String own = resource.getMetadata().getNamespace();
    List<DaemonSetSelector> selectors = resource.getSpec().getUninstall().getDaemonSets();
    for (int i = 0; i < selectors.size(); i++) {
      String namespace = selectors.get(i) == null ? null : selectors.get(i).getNamespace();
      if (outside(namespace, own)) {
        problems.add(
            refused(
                "spec.uninstall.daemonSets[" + i + "].namespace",
                namespace,
                own,
                "remove the namespace to select in " + own));
      }
    }
    return problems;
  }

  private static boolean outside(String namespace, String own) {
    return namespace != null && !namespace.isBlank() && !namespace.equals(own);
  }

  private static String refused(String field, String namespace, String own, String remedy) {
    return field
        + " "
        + namespace
        + " is outside this object's namespace "
        + own
        + ", and this operator refuses cross-namespace references (--no-cross-namespace-refs): "
        + remedy;
  }
}
