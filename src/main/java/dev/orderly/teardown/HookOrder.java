package dev.orderly.teardown;

import dev.orderly.helm.HelmHook;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The order hooks of one event run in: weight ascending, then kind in Helm's install order (kinds
 * Helm does not list come last, alphabetically), then name.
 *
 * <p>This is the order Helm's documentation promises ("by weight, by resource kind and finally by
 * name"), which is what makes a ServiceAccount hook exist before a Job hook of the same weight that
 * uses it. Helm 3.21's own code (hookByWeight in pkg/action/hooks.go) compares weight and then
 * name, so its kind pre-sort only survives between hooks of equal name (helm/helm#12414; fixing it
 * was deferred to Helm 4 in helm/helm#10007). Orderly runs the hooks itself and keeps the
 * documented promise.
 */
public final class HookOrder {
  /**
   * Kind names in the order of Helm's {@code InstallOrder} in pkg/releaseutil/kind_sorter.go (Helm
   * v3.21), including the *List kinds it names.
   */
  public static final List<String> INSTALL_ORDER =
      List.of(
          "PriorityClass",
          "Namespace",
          "NetworkPolicy",
          "ResourceQuota",
          "LimitRange",
          "PodSecurityPolicy",
          "PodDisruptionBudget",
          "ServiceAccount",
          "Secret",
          "SecretList",
          "ConfigMap",
          "StorageClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleList",
          "ClusterRoleBinding",
          "ClusterRoleBindingList",
          "Role",
          "RoleList",
          "RoleBinding",
          "RoleBindingList",
          "Service",
          "DaemonSet",
          "Pod",
          "ReplicationController",
          "ReplicaSet",
          "Deployment",
          "HorizontalPodAutoscaler",
          "StatefulSet",
          "Job",
          "CronJob",
          "IngressClass",
          "Ingress",
          "APIService");

  private static final Map<String, Integer> RANK =
      IntStream.range(0, INSTALL_ORDER.size())
          .boxed()
          .collect(Collectors.toUnmodifiableMap(INSTALL_ORDER::get, Function.identity()));

  /** Compares hooks in the order they run. */
  public static final Comparator<HelmHook> COMPARATOR =
      Comparator.comparingLong(HelmHook::weight)
          .thenComparingInt((HelmHook hook) -> kindRank(hook.kind()))
          // Equal ranks of different kinds only happen for unknown kinds: Helm sorts those by name.
          .thenComparing(HelmHook::kind, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(HelmHook::name, Comparator.nullsLast(Comparator.naturalOrder()));

  private HookOrder() {}

  /** The position of {@code kind} in Helm's install order; unknown kinds share the last one. */
  public static int kindRank(String kind) {
    return RANK.getOrDefault(kind, INSTALL_ORDER.size());
  }

  /** {@code hooks} in the order they run. */
  public static List<HelmHook> sort(Collection<HelmHook> hooks) {
    return hooks.stream().sorted(COMPARATOR).toList();
  }

  /** The hooks that run on {@code event}, such as {@code pre-delete}, in the order they run. */
  public static List<HelmHook> forEvent(Collection<HelmHook> hooks, String event) {
    return hooks.stream().filter(hook -> hook.runsOn(event)).sorted(COMPARATOR).toList();
  }
}
