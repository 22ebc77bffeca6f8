package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.helm.ReleaseObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which teardown phase deletes an object of a given (apiVersion, kind), its rank inside that phase
 * (lower goes first), and whether a built-in kind is cluster-scoped.
 *
 * <p>Kinds whose API group is not built into Kubernetes are custom resources, whatever their kind
 * is called: Gateway API ({@code gateway.networking.k8s.io}) and volume snapshots ({@code
 * snapshot.storage.k8s.io}) are CRD groups although they end in k8s.io.
 */
public final class KindPhases {
  /**
   * API groups served by kube-apiserver itself; every other group comes from a CRD or APIService.
   */
  public static final Set<String> BUILT_IN_GROUPS =
      Set.of(
          "",
          "admissionregistration.k8s.io",
          "apiextensions.k8s.io",
          "apiregistration.k8s.io",
          "apps",
          "authentication.k8s.io",
          "authorization.k8s.io",
          "autoscaling",
          "batch",
          "certificates.k8s.io",
          "coordination.k8s.io",
          "discovery.k8s.io",
          "events.k8s.io",
          "extensions",
          "flowcontrol.apiserver.k8s.io",
          "internal.apiserver.k8s.io",
          "networking.k8s.io",
          "node.k8s.io",
          "policy",
          "rbac.authorization.k8s.io",
          "resource.k8s.io",
          "scheduling.k8s.io",
          "storage.k8s.io",
          "storagemigration.k8s.io");

  /** Built-in kinds that are cluster-scoped: the API server ignores a namespace on them. */
  public static final Set<String> CLUSTER_SCOPED_KINDS =
      Set.of(
          "APIService",
          "CertificateSigningRequest",
          "ClusterRole",
          "ClusterRoleBinding",
          "ClusterTrustBundle",
          "ComponentStatus",
          "CSIDriver",
          "CSINode",
          "CustomResourceDefinition",
          "DeviceClass",
          "FlowSchema",
          "IngressClass",
          "IPAddress",
          "MutatingAdmissionPolicy",
          "MutatingAdmissionPolicyBinding",
          "MutatingWebhookConfiguration",
          "Namespace",
          "Node",
          "PersistentVolume",
          "PodSecurityPolicy",
          "PriorityClass",
          "PriorityLevelConfiguration",
          "RuntimeClass",
          "ServiceCIDR",
          "StorageClass",
          "StorageVersion",
          "StorageVersionMigration",
          "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding",
          "ValidatingWebhookConfiguration",
          "VolumeAttachment",
          "VolumeAttributesClass");

  // Stands for every kind of the phase that is not named in its order.
  private static final String OTHER = "*";

  // In-phase orders. Where a phase mirrors Helm, the order is the matching part of Helm's
  // UninstallOrder (pkg/releaseutil/kind_sorter.go); departures are explained inline.
  private static final Map<TeardownPhase, List<String>> ORDER =
      Map.of(
          TeardownPhase.CustomResources,
          List.of(OTHER),
          TeardownPhase.Admission,
          List.of(
              // Helm's UninstallOrder starts with APIService: an aggregated API without its
              // backend breaks discovery of its group for every client.
              "APIService",
              "ValidatingWebhookConfiguration",
              "MutatingWebhookConfiguration",
              // Bindings before the policies they bind, as RBAC bindings go before roles.
              "ValidatingAdmissionPolicyBinding",
              "ValidatingAdmissionPolicy",
              "MutatingAdmissionPolicyBinding",
              "MutatingAdmissionPolicy"),
          TeardownPhase.DaemonSets,
          List.of("DaemonSet"),
          TeardownPhase.Workloads,
          List.of(
              // Stop the autoscaler before anything it scales; Helm puts it after StatefulSet.
              "HorizontalPodAutoscaler",
              // CronJobs before Jobs and owners before owned, so nothing spawns a replacement.
              "CronJob",
              "Job",
              "StatefulSet",
              "Deployment",
              "ReplicaSet",
              "ReplicationController",
              "Pod"),
          TeardownPhase.ConfigAndNetwork,
          List.of(
              "Ingress",
              "IngressClass",
              "Service",
              "PersistentVolumeClaim",
              "PersistentVolume",
              "StorageClass",
              "ConfigMap",
              "Secret",
              "PodDisruptionBudget",
              "PodSecurityPolicy",
              "LimitRange",
              "ResourceQuota",
              "NetworkPolicy",
              // Helm puts unknown kinds after everything; PriorityClass stays last, after the
              // objects whose pods may name it. Namespaces have a phase of their own.
              OTHER,
              "PriorityClass"),
          // Bindings before what they bind, and ServiceAccounts last of all, so no identity loses
          // its permissions while anything that might still use them exists.
          TeardownPhase.Rbac,
          List.of("RoleBinding", "ClusterRoleBinding", "Role", "ClusterRole", "ServiceAccount"),
          TeardownPhase.Namespaces,
          List.of("Namespace"));

  private static final Set<String> WORKLOAD_KINDS = Set.copyOf(ORDER.get(TeardownPhase.Workloads));

  private static final Set<String> ADMISSION_KINDS = Set.copyOf(ORDER.get(TeardownPhase.Admission));

  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private KindPhases() {}

  /** Whether {@code group} is served by kube-apiserver itself rather than a CRD. */
  public static boolean isBuiltInGroup(String group) {
    return BUILT_IN_GROUPS.contains(group == null ? "" : group);
  }

  /** Whether objects of {@code apiVersion} are custom resources (their group is not built in). */
  public static boolean isCustomResource(String apiVersion) {
    return !isBuiltInGroup(ReleaseObject.groupOf(apiVersion));
  }

  /** Whether this is a CustomResourceDefinition, kept unless the spec asks to delete it. */
  public static boolean isCustomResourceDefinition(String apiVersion, String kind) {
    return "CustomResourceDefinition".equals(kind)
        && "apiextensions.k8s.io".equals(ReleaseObject.groupOf(apiVersion));
  }

  /**
   * Whether the kind is known to be cluster-scoped. Custom resources answer false: their scope is
   * only known from the cluster's discovery, so callers treat them as namespaced by default.
   */
  public static boolean isClusterScoped(String apiVersion, String kind) {
    return !isCustomResource(apiVersion) && CLUSTER_SCOPED_KINDS.contains(kind);
  }

  /**
   * The phase that deletes objects of this kind. CRDs map to {@code Release}: they are kept unless
   * {@code spec.uninstall.crds} is Delete, and then go after Helm's record, once every other object
   * of the release, its custom resources first, is gone. Namespaces go in {@code Namespaces}, after
   * the post-delete hooks, which may run inside them.
   */
  public static TeardownPhase phaseOf(String apiVersion, String kind) {
    if (isCustomResource(apiVersion)) {
      return TeardownPhase.CustomResources;
    }
    if (isCustomResourceDefinition(apiVersion, kind)) {
      return TeardownPhase.Release;
    }
    if (ADMISSION_KINDS.contains(kind)) {
      return TeardownPhase.Admission;
    }
    if ("DaemonSet".equals(kind)) {
      return TeardownPhase.DaemonSets;
    }
    if (WORKLOAD_KINDS.contains(kind)) {
      return TeardownPhase.Workloads;
    }
    if (RBAC_GROUP.equals(ReleaseObject.groupOf(apiVersion)) || "ServiceAccount".equals(kind)) {
      return TeardownPhase.Rbac;
    }
    if ("Namespace".equals(kind)) {
      return TeardownPhase.Namespaces;
    }
    return TeardownPhase.ConfigAndNetwork;
  }

  /**
   * The kind's rank inside its phase; lower ranks are deleted first. Kinds the phase does not name
   * share one rank, which callers break by kind name as Helm does for unknown kinds.
   */
  public static int rankOf(String apiVersion, String kind) {
    List<String> order = ORDER.getOrDefault(phaseOf(apiVersion, kind), List.of());
    String key = isCustomResource(apiVersion) ? OTHER : kind;
    int rank = order.indexOf(key);
    if (rank < 0) {
      rank = order.indexOf(OTHER);
    }
    return rank < 0 ? order.size() : rank;
  }
}
