package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class KindPhasesTest {
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    // apiVersion, kind, phase, custom resource, cluster-scoped
    "apps/v1, DaemonSet, DaemonSets, false, false",
    "extensions/v1beta1, DaemonSet, DaemonSets, false, false",
    "apps/v1, Deployment, Workloads, false, false",
    "apps/v1, StatefulSet, Workloads, false, false",
    "apps/v1, ReplicaSet, Workloads, false, false",
    "batch/v1, Job, Workloads, false, false",
    "batch/v1, CronJob, Workloads, false, false",
    "v1, Pod, Workloads, false, false",
    "v1, ReplicationController, Workloads, false, false",
    "autoscaling/v2, HorizontalPodAutoscaler, Workloads, false, false",
    "v1, Service, ConfigAndNetwork, false, false",
    "v1, ConfigMap, ConfigAndNetwork, false, false",
    "v1, Secret, ConfigAndNetwork, false, false",
    "v1, PersistentVolumeClaim, ConfigAndNetwork, false, false",
    "v1, PersistentVolume, ConfigAndNetwork, false, true",
    "v1, Namespace, Namespaces, false, true",
    "v1, ResourceQuota, ConfigAndNetwork, false, false",
    "v1, LimitRange, ConfigAndNetwork, false, false",
    "v1, Endpoints, ConfigAndNetwork, false, false",
    "networking.k8s.io/v1, Ingress, ConfigAndNetwork, false, false",
    "networking.k8s.io/v1, IngressClass, ConfigAndNetwork, false, true",
    "networking.k8s.io/v1, NetworkPolicy, ConfigAndNetwork, false, false",
    "policy/v1, PodDisruptionBudget, ConfigAndNetwork, false, false",
    "storage.k8s.io/v1, StorageClass, ConfigAndNetwork, false, true",
    "scheduling.k8s.io/v1, PriorityClass, ConfigAndNetwork, false, true",
    "admissionregistration.k8s.io/v1, ValidatingWebhookConfiguration, Admission, false, true",
    "admissionregistration.k8s.io/v1, MutatingWebhookConfiguration, Admission, false, true",
    "admissionregistration.k8s.io/v1, ValidatingAdmissionPolicy, Admission, false, true",
    "admissionregistration.k8s.io/v1, ValidatingAdmissionPolicyBinding, Admission, false, true",
    "admissionregistration.k8s.io/v1alpha1, MutatingAdmissionPolicy, Admission, false, true",
    "admissionregistration.k8s.io/v1alpha1, MutatingAdmissionPolicyBinding, Admission, false,"
        + " true",
    "apiregistration.k8s.io/v1, APIService, Admission, false, true",
    // A CRD group that reuses an admission kind name holds custom resources.
    "example.com/v1, ValidatingWebhookConfiguration, CustomResources, true, false",
    "coordination.k8s.io/v1, Lease, ConfigAndNetwork, false, false",
    "discovery.k8s.io/v1, EndpointSlice, ConfigAndNetwork, false, false",
    "certificates.k8s.io/v1, CertificateSigningRequest, ConfigAndNetwork, false, true",
    "node.k8s.io/v1, RuntimeClass, ConfigAndNetwork, false, true",
    "events.k8s.io/v1, Event, ConfigAndNetwork, false, false",
    "flowcontrol.apiserver.k8s.io/v1, FlowSchema, ConfigAndNetwork, false, true",
    "resource.k8s.io/v1, DeviceClass, ConfigAndNetwork, false, true",
    "storagemigration.k8s.io/v1alpha1, StorageVersionMigration, ConfigAndNetwork, false, true",
    "rbac.authorization.k8s.io/v1, RoleBinding, Rbac, false, false",
    "rbac.authorization.k8s.io/v1, ClusterRoleBinding, Rbac, false, true",
    "rbac.authorization.k8s.io/v1, Role, Rbac, false, false",
    "rbac.authorization.k8s.io/v1, ClusterRole, Rbac, false, true",
    "v1, ServiceAccount, Rbac, false, false",
    "apiextensions.k8s.io/v1, CustomResourceDefinition, Release, false, true",
    "gateway.networking.k8s.io/v1, Gateway, CustomResources, true, false",
    "gateway.networking.k8s.io/v1, HTTPRoute, CustomResources, true, false",
    "gateway.networking.k8s.io/v1, GatewayClass, CustomResources, true, false",
    "snapshot.storage.k8s.io/v1, VolumeSnapshot, CustomResources, true, false",
    "cert-manager.io/v1, Certificate, CustomResources, true, false",
    "cert-manager.io/v1, ClusterIssuer, CustomResources, true, false",
    "monitoring.coreos.com/v1, ServiceMonitor, CustomResources, true, false",
    "metrics.k8s.io/v1beta1, PodMetrics, CustomResources, true, false",
    // A custom resource is known by its group, not by a kind name it shares with a built-in.
    "example.com/v1, Deployment, CustomResources, true, false",
    "example.com/v1, ServiceAccount, CustomResources, true, false",
    "example.com/v1, Namespace, CustomResources, true, false",
  })
  void mapsKindsToPhases(
      String apiVersion,
      String kind,
      TeardownPhase phase,
      boolean customResource,
      boolean clusterScoped) {
    assertThat(KindPhases.phaseOf(apiVersion, kind)).isEqualTo(phase);
    assertThat(KindPhases.isCustomResource(apiVersion)).isEqualTo(customResource);
    assertThat(KindPhases.isClusterScoped(apiVersion, kind)).isEqualTo(clusterScoped);
  }

  @ParameterizedTest
  @CsvSource({
    "'', true",
    "apps, true",
    "batch, true",
    "rbac.authorization.k8s.io, true",
    "policy, true",
    "networking.k8s.io, true",
    "autoscaling, true",
    "storage.k8s.io, true",
    "scheduling.k8s.io, true",
    "coordination.k8s.io, true",
    "discovery.k8s.io, true",
    "admissionregistration.k8s.io, true",
    "apiextensions.k8s.io, true",
    "certificates.k8s.io, true",
    "node.k8s.io, true",
    "events.k8s.io, true",
    "flowcontrol.apiserver.k8s.io, true",
    "apiregistration.k8s.io, true",
    "resource.k8s.io, true",
    "storagemigration.k8s.io, true",
    "gateway.networking.k8s.io, false",
    "snapshot.storage.k8s.io, false",
    "k8s.io, false",
    "orderly.dev, false",
  })
  void knowsTheBuiltInGroups(String group, boolean builtIn) {
    assertThat(KindPhases.isBuiltInGroup(group)).isEqualTo(builtIn);
  }

  static Stream<Arguments> inPhaseOrders() {
    return Stream.of(
        Arguments.of(
            "RBAC: bindings, then roles, then ServiceAccounts",
            List.of(
                "rbac.authorization.k8s.io/v1 RoleBinding",
                "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
                "rbac.authorization.k8s.io/v1 Role",
                "rbac.authorization.k8s.io/v1 ClusterRole",
                "v1 ServiceAccount")),
        Arguments.of(
            "Workloads: controllers before what they create",
            List.of(
                "autoscaling/v2 HorizontalPodAutoscaler",
                "batch/v1 CronJob",
                "batch/v1 Job",
                "apps/v1 StatefulSet",
                "apps/v1 Deployment",
                "apps/v1 ReplicaSet",
                "v1 ReplicationController",
                "v1 Pod")),
        Arguments.of(
            "Admission: APIServices first as in Helm, webhooks, bindings before policies",
            List.of(
                "apiregistration.k8s.io/v1 APIService",
                "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
                "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
                "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding",
                "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy",
                "admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicyBinding",
                "admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicy")),
        Arguments.of(
            "ConfigAndNetwork: Helm's order, others, PriorityClass last",
            List.of(
                "networking.k8s.io/v1 Ingress",
                "v1 Service",
                "v1 PersistentVolumeClaim",
                "v1 ConfigMap",
                "v1 Secret",
                "policy/v1 PodDisruptionBudget",
                "networking.k8s.io/v1 NetworkPolicy",
                "discovery.k8s.io/v1 EndpointSlice",
                "scheduling.k8s.io/v1 PriorityClass")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inPhaseOrders")
  void ranksKindsInsideAPhase(String description, List<String> ordered) {
    for (int i = 1; i < ordered.size(); i++) {
      String[] before = ordered.get(i - 1).split(" ");
      String[] after = ordered.get(i).split(" ");
      assertThat(KindPhases.phaseOf(before[0], before[1]))
          .isEqualTo(KindPhases.phaseOf(after[0], after[1]));
      assertThat(KindPhases.rankOf(before[0], before[1]))
          .as("%s before %s", ordered.get(i - 1), ordered.get(i))
          .isLessThan(KindPhases.rankOf(after[0], after[1]));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "example.com/v1, Widget, cert-manager.io/v1, Certificate",
    "coordination.k8s.io/v1, Lease, discovery.k8s.io/v1, EndpointSlice",
  })
  void kindsAPhaseDoesNotNameShareOneRank(String v1, String k1, String v2, String k2) {
    assertThat(KindPhases.rankOf(v1, k1)).isEqualTo(KindPhases.rankOf(v2, k2));
  }
}
