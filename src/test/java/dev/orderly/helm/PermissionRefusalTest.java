package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PermissionRefusalTest {
  // As Helm 3.21 reported it on a real kube-apiserver 1.24 for the node-agent example.
  private static final String ESCALATION =
      "failed to create resource: clusterroles.rbac.authorization.k8s.io \"node-agent-agent\" is"
          + " forbidden: user \"system:serviceaccount:orderly-system:orderly\" (groups=[\"system:serviceaccounts\""
          + " \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
          + "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"list\" \"watch\"]}\n"
          + "{APIGroups:[\"metrics.k8s.io\"], Resources:[\"pods\"], ResourceNames:[\"a\"], Verbs:[\"get\"]}\n"
          + "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}";

  @Test
  void escalationNamesEveryMissingPermissionAndTheChartValues() {
    assertThat(PermissionRefusal.describe(ESCALATION))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .contains("get,list,watch on nodes;")
                    .contains("get on pods.metrics.k8s.io named a")
                    .contains("get on URLs /metrics")
                    .contains("rbac.clusterReleaseObjectRules")
                    .contains("rbac.allowEscalation=true"));
  }

  @Test
  void aForbiddenClusterScopedKindNamesTheClusterRulesValue() {
    String helm =
        "failed to create resource: ingressclasses.networking.k8s.io \"nginx\" is forbidden: User"
            + " \"system:serviceaccount:orderly-system:orderly\" cannot create resource"
            + " \"ingressclasses\" in API group \"networking.k8s.io\" at the cluster scope";
    assertThat(PermissionRefusal.describe(helm))
        .contains(
            "the operator may not create ingressclasses.networking.k8s.io (cluster-scoped). Add the"
                + " kind to the operator chart's rbac.clusterReleaseObjectRules");
  }

  @Test
  void aForbiddenNamespacedKindNamesTheNamespacedRulesValue() {
    String helm =
        "failed to create resource: leases.coordination.k8s.io \"x\" is forbidden: User \"u\""
            + " cannot create resource \"leases\" in API group \"coordination.k8s.io\" in the"
            + " namespace \"apps\"";
    assertThat(PermissionRefusal.describe(helm))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("leases.coordination.k8s.io")
                    .endsWith("rbac.releaseObjectRules"));
  }

  @Test
  void otherFailuresAreNotPermissionRefusals() {
    assertThat(PermissionRefusal.describe("template: x.yaml:3: nil pointer")).isEmpty();
    assertThat(PermissionRefusal.describe(null)).isEmpty();
  }

  @Test
  void aServiceAccountsRefusalNamesTheAccountTheVerbAndTheResource() {
    String helm =
        "unable to continue with install: could not get information about the resource"
            + " ClusterRole \"wide-everything\" in namespace \"\": clusterroles.rbac.authorization.k8s.io"
            + " \"wide-everything\" is forbidden: User \"system:serviceaccount:team-a:deployer\""
            + " cannot get resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at"
            + " the cluster scope";
    assertThat(PermissionRefusal.describeFor(helm, "ServiceAccount team-a/deployer"))
        .hasValue(
            "ServiceAccount team-a/deployer may not get clusterroles.rbac.authorization.k8s.io"
                + " at the cluster scope (cluster-scoped). Grant it to ServiceAccount"
                + " team-a/deployer with a ClusterRoleBinding, or change the chart or spec so that"
                + " it is not needed");
  }

  @Test
  void aServiceAccountsRefusalInAnotherNamespaceNamesIt() {
    String helm =
        "query: failed to query with labels: secrets is forbidden: User"
            + " \"system:serviceaccount:team-a:deployer\" cannot list resource \"secrets\" in API"
            + " group \"\" in the namespace \"team-b\"";
    assertThat(PermissionRefusal.describeFor(helm, "ServiceAccount team-a/deployer"))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith(
                        "ServiceAccount team-a/deployer may not list secrets in the namespace"
                            + " team-b.")
                    .contains("with a RoleBinding"));
  }

  @Test
  void aServiceAccountsEscalationNamesWhatItDoesNotHold() {
    assertThat(PermissionRefusal.describeFor(ESCALATION, "ServiceAccount team-a/deployer"))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith("ServiceAccount team-a/deployer may not grant permissions")
                    .contains("get,list,watch on nodes;")
                    .doesNotContain("rbac.allowEscalation"));
    assertThat(PermissionRefusal.describeFor("connection refused", "ServiceAccount a/b")).isEmpty();
  }

  @Test
  void anOperatorThatMayNotImpersonateIsToldSoNotTheAccount() {
    String server =
        "users \"system:serviceaccount:team-a:deployer\" is forbidden: User"
            + " \"system:serviceaccount:orderly-system:orderly\" cannot impersonate resource"
            + " \"serviceaccounts\" in API group \"\" in the namespace \"team-a\"";
    assertThat(PermissionRefusal.describeFor(server, "ServiceAccount team-a/deployer"))
        .hasValue(
            "the operator may not impersonate ServiceAccount team-a/deployer: its ClusterRole"
                + " needs impersonate on serviceaccounts (the operator chart and operator/ grant"
                + " it)");
  }
}
