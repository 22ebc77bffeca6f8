package dev.orderly.testsupport;

import static dev.orderly.testsupport.ApiResource.ALL_VERBS;
import static dev.orderly.testsupport.ApiResource.SCALE;
import static dev.orderly.testsupport.ApiResource.STATUS;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Hand-written discovery table of the built-in resources that Helm charts commonly use. */
final class BuiltInApiResources {

  private static final String NAMESPACED = "namespaced";
  private static final String CLUSTER = "cluster";

  /** Built-in resources as Kubernetes 1.31 lists them in discovery (status and scale only). */
  static final List<ApiResource> ALL =
      List.of(
          core("configmaps", "ConfigMap", NAMESPACED),
          core("endpoints", "Endpoints", NAMESPACED),
          core("events", "Event", NAMESPACED),
          core("limitranges", "LimitRange", NAMESPACED),
          new ApiResource(
              "",
              "v1",
              "namespaces",
              "namespace",
              "Namespace",
              false,
              List.of("create", "delete", "get", "list", "patch", "update", "watch"),
              List.of(STATUS)),
          core("nodes", "Node", CLUSTER, STATUS),
          core("persistentvolumeclaims", "PersistentVolumeClaim", NAMESPACED, STATUS),
          core("persistentvolumes", "PersistentVolume", CLUSTER, STATUS),
          core("pods", "Pod", NAMESPACED, STATUS),
          core("podtemplates", "PodTemplate", NAMESPACED),
          core("replicationcontrollers", "ReplicationController", NAMESPACED, STATUS, SCALE),
          core("resourcequotas", "ResourceQuota", NAMESPACED, STATUS),
          core("secrets", "Secret", NAMESPACED),
          core("serviceaccounts", "ServiceAccount", NAMESPACED),
          core("services", "Service", NAMESPACED, STATUS),
          apps("controllerrevisions", "ControllerRevision"),
          apps("daemonsets", "DaemonSet", STATUS),
          apps("deployments", "Deployment", STATUS, SCALE),
          apps("replicasets", "ReplicaSet", STATUS, SCALE),
          apps("statefulsets", "StatefulSet", STATUS, SCALE),
          of("batch/v1", "cronjobs", "CronJob", NAMESPACED, STATUS),
          of("batch/v1", "jobs", "Job", NAMESPACED, STATUS),
          rbac("clusterrolebindings", "ClusterRoleBinding", CLUSTER),
          rbac("clusterroles", "ClusterRole", CLUSTER),
          rbac("rolebindings", "RoleBinding", NAMESPACED),
          rbac("roles", "Role", NAMESPACED),
          of("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", NAMESPACED, STATUS),
          of("networking.k8s.io/v1", "ingressclasses", "IngressClass", CLUSTER),
          of("networking.k8s.io/v1", "ingresses", "Ingress", NAMESPACED, STATUS),
          of("networking.k8s.io/v1", "networkpolicies", "NetworkPolicy", NAMESPACED),
          of(
              "apiextensions.k8s.io/v1",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              CLUSTER,
              STATUS),
          of("coordination.k8s.io/v1", "leases", "Lease", NAMESPACED),
          of("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", NAMESPACED),
          of("scheduling.k8s.io/v1", "priorityclasses", "PriorityClass", CLUSTER),
          of("storage.k8s.io/v1", "storageclasses", "StorageClass", CLUSTER),
          of("storage.k8s.io/v1", "csidrivers", "CSIDriver", CLUSTER),
          admission("validatingwebhookconfigurations", "ValidatingWebhookConfiguration"),
          admission("mutatingwebhookconfigurations", "MutatingWebhookConfiguration"),
          admission("validatingadmissionpolicies", "ValidatingAdmissionPolicy", STATUS),
          admission("validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding"),
          of("apiregistration.k8s.io/v1", "apiservices", "APIService", CLUSTER, STATUS),
          of("events.k8s.io/v1", "events", "Event", NAMESPACED));

  private BuiltInApiResources() {}

  /** The built-in resource served under {@code group/version/plural}, if the table has it. */
  static Optional<ApiResource> find(String group, String version, String plural) {
    return ALL.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .filter(r -> r.plural().equals(plural))
        .findFirst();
  }

  private static ApiResource core(String plural, String kind, String scope, String... sub) {
    return of("v1", plural, kind, scope, sub);
  }

  private static ApiResource apps(String plural, String kind, String... sub) {
    return of("apps/v1", plural, kind, NAMESPACED, sub);
  }

  private static ApiResource admission(String plural, String kind, String... sub) {
    return of("admissionregistration.k8s.io/v1", plural, kind, CLUSTER, sub);
  }

  private static ApiResource rbac(String plural, String kind, String scope) {
    return of("rbac.authorization.k8s.io/v1", plural, kind, scope);
  }

  private static ApiResource of(
      String apiVersion, String plural, String kind, String scope, String... subresources) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    // Kubernetes' singular names are the lower-cased kind for every built-in type.
    String singular = kind.toLowerCase(Locale.ROOT);
    return new ApiResource(
        group,
        version,
        plural,
        singular,
        kind,
        scope.equals(NAMESPACED),
        ALL_VERBS,
        List.of(subresources));
  }
}
