package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orderly.testsupport.ApiRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checker RbacCoversOperatorCallsTest relies on: requests map to RBAC attributes as the API
 * server maps them, and rules match as the RBAC authorizer matches them.
 */
class RbacEvaluationTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET | /api/v1/namespaces/a/pods/p | get \"\" pods \"p\" in a",
        "GET | /api/v1/namespaces/a/pods | list \"\" pods in a",
        "GET | /api/v1/pods?watch=true&resourceVersion=0 | watch \"\" pods cluster-wide",
        "GET | /api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dp&watch=true"
            + " | watch \"\" pods \"p\" in a",
        "POST | /apis/apps/v1/namespaces/a/daemonsets?fieldManager=x | create apps daemonsets in a",
        "PUT | /apis/batch/v1/namespaces/a/jobs/j/status | update batch jobs/status \"j\" in a",
        "PATCH | /apis/orderly.dev/v1alpha1/namespaces/a/orderedreleases/r/status"
            + " | patch orderly.dev orderedreleases/status \"r\" in a",
        "DELETE | /api/v1/namespaces/a/secrets/s | delete \"\" secrets \"s\" in a",
        "DELETE | /api/v1/namespaces/a/secrets | deletecollection \"\" secrets in a",
        "GET | /api/v1/namespaces/a | get \"\" namespaces \"a\" in a",
        "POST | /api/v1/namespaces | create \"\" namespaces cluster-wide",
        "PUT | /api/v1/namespaces/a/finalize | update \"\" namespaces/finalize \"a\" in a",
        "GET | /apis/rbac.authorization.k8s.io/v1/clusterroles/c"
            + " | get rbac.authorization.k8s.io clusterroles \"c\" cluster-wide",
        "GET | /apis/apps/v1 | get /apis/apps/v1",
        "GET | /api?timeout=32s | get /api",
        "GET | /openapi/v3/apis/apps/v1 | get /openapi/v3/apis/apps/v1",
        "GET | /version | get /version",
      })
  void requestsMapToTheAttributesTheAuthorizerSees(String method, String path, String attributes) {
    assertThat(call(method, path).attributes()).isEqualTo(attributes);
  }

  @Test
  void aRoleBindingGrantsOnlyInItsNamespaceAndAClusterRoleBindingEverywhere() {
    ChartRbac rbac =
        rbac(
            role(
                "Role",
                "leases",
                "ns-a",
                "{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get]}"),
            binding("RoleBinding", "ns-a", "Role", "leases", "ops/sa"),
            role(
                "ClusterRole",
                "pods",
                null,
                "{apiGroups: [''], resources: [pods], verbs: [list, watch]}"),
            binding("ClusterRoleBinding", null, "ClusterRole", "pods", "ops/sa"));

    assertThat(allowed(rbac, "GET", "/apis/coordination.k8s.io/v1/namespaces/ns-a/leases/l"))
        .isTrue();
    assertThat(allowed(rbac, "GET", "/apis/coordination.k8s.io/v1/namespaces/ns-b/leases/l"))
        .isFalse();
    assertThat(allowed(rbac, "GET", "/apis/coordination.k8s.io/v1/leases")).isFalse();
    assertThat(allowed(rbac, "GET", "/api/v1/pods?watch=true")).isTrue();
    assertThat(allowed(rbac, "GET", "/api/v1/namespaces/ns-b/pods")).isTrue();
    assertThat(allowed(rbac, "GET", "/api/v1/namespaces/ns-b/pods/p")).as("get").isFalse();
    assertThat(allowed(rbac, "GET", "/api/v1/namespaces/ns-b/pods/p/log")).isFalse();
  }

  @Test
  void resourceNamesLimitARuleToNamedObjects() {
    ChartRbac rbac =
        rbac(
            role(
                "ClusterRole",
                "lease",
                null,
                "{apiGroups: [coordination.k8s.io], resources: [leases], resourceNames: [mine],"
                    + " verbs: [get, update]}"),
            binding("ClusterRoleBinding", null, "ClusterRole", "lease", "ops/sa"));

    assertThat(allowed(rbac, "PUT", "/apis/coordination.k8s.io/v1/namespaces/a/leases/mine"))
        .isTrue();
    assertThat(allowed(rbac, "PATCH", "/apis/coordination.k8s.io/v1/namespaces/a/leases/mine"))
        .as("patch is not update")
        .isFalse();
    assertThat(allowed(rbac, "PUT", "/apis/coordination.k8s.io/v1/namespaces/a/leases/other"))
        .isFalse();
    assertThat(allowed(rbac, "GET", "/apis/coordination.k8s.io/v1/namespaces/a/leases"))
        .as("a list names no object")
        .isFalse();
  }

  @Test
  void starsMatchEveryVerbGroupAndResourceAndStarSlashASubresource() {
    ChartRbac rbac =
        rbac(
            role(
                "ClusterRole",
                "all",
                null,
                "{apiGroups: ['*'], resources: ['*/status'], verbs: ['*']}",
                "{nonResourceURLs: ['/apis/*'], verbs: [get]}"),
            binding("ClusterRoleBinding", null, "ClusterRole", "all", "ops/sa"));

    assertThat(allowed(rbac, "PUT", "/apis/batch/v1/namespaces/a/jobs/j/status")).isTrue();
    assertThat(allowed(rbac, "PUT", "/apis/batch/v1/namespaces/a/jobs/j")).isFalse();
    assertThat(allowed(rbac, "GET", "/apis/apps/v1")).isTrue();
    assertThat(allowed(rbac, "GET", "/apis")).as("/apis/* needs the slash").isFalse();
    assertThat(allowed(rbac, "POST", "/apis/apps/v1")).isFalse();
  }

  @Test
  void onlyBindingsOfTheDeploymentsServiceAccountCount() {
    ChartRbac rbac =
        rbac(
            role("ClusterRole", "pods", null, "{apiGroups: [''], resources: [pods], verbs: [get]}"),
            binding("ClusterRoleBinding", null, "ClusterRole", "pods", "ops/other"),
            binding("ClusterRoleBinding", null, "ClusterRole", "pods", "dev/sa"));

    assertThat(allowed(rbac, "GET", "/api/v1/namespaces/a/pods/p")).isFalse();
    assertThat(rbac.serviceAccount()).isEqualTo("ops/sa");
  }

  @Test
  void aBindingToARoleTheChartDoesNotRenderFails() {
    assertThatThrownBy(
            () -> rbac(binding("ClusterRoleBinding", null, "ClusterRole", "pods", "ops/sa")))
        .hasMessageContaining("refers to ClusterRole pods, which the chart does not render");
  }

  @Test
  void theRulesReviewListsTheResourceRulesInForceInANamespace() {
    ChartRbac rbac =
        rbac(
            role(
                "Role",
                "leases",
                "ns-a",
                "{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [create]}"),
            binding("RoleBinding", "ns-a", "Role", "leases", "ops/sa"),
            role(
                "ClusterRole",
                "pods",
                null,
                "{apiGroups: [''], resources: [pods], verbs: [get]}",
                "{nonResourceURLs: [/version], verbs: [get]}"),
            binding("ClusterRoleBinding", null, "ClusterRole", "pods", "ops/sa"));

    assertThat(rbac.resourceRulesIn("ns-a"))
        .extracting(r -> r.getResources().get(0) + ":" + r.getVerbs())
        .containsExactlyInAnyOrder("leases:[create]", "pods:[get]");
    assertThat(rbac.resourceRulesIn("ns-b"))
        .extracting(r -> r.getResources().get(0))
        .containsExactly("pods");
  }

  private static ApiCall call(String method, String path) {
    return ApiCall.of(new ApiRequest(method, path, "", "", ""));
  }

  private static boolean allowed(ChartRbac rbac, String method, String path) {
    return rbac.allowing(call(method, path)).isPresent();
  }

  /** RBAC objects plus the operator's Deployment, running as ServiceAccount ops/sa. */
  private static ChartRbac rbac(String... objects) {
    List<String> documents = new ArrayList<>(List.of(objects));
    documents.add(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: operator, namespace: ops}
        spec: {template: {spec: {serviceAccountName: sa}}}
        """);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> nodes = new ArrayList<>();
    for (String document : documents) {
      try {
        nodes.add(yaml.readTree(document));
      } catch (IOException e) {
        throw new IllegalArgumentException(document, e);
      }
    }
    return ChartRbac.of(nodes, "ops");
  }

  /** A ClusterRole or Role with {@code rules}, each a YAML flow mapping. */
  private static String role(String kind, String name, String namespace, String... rules) {
    return "apiVersion: rbac.authorization.k8s.io/v1\nkind: "
        + kind
        + "\nmetadata: {name: "
        + name
        + (namespace == null ? "" : ", namespace: " + namespace)
        + "}\nrules: ["
        + String.join(", ", rules)
        + "]\n";
  }

  /** A binding named after its role, of {@code subject} ("namespace/name" of a ServiceAccount). */
  private static String binding(
      String kind, String namespace, String roleKind, String role, String subject) {
    String[] account = subject.split("/");
    return "apiVersion: rbac.authorization.k8s.io/v1\nkind: "
        + kind
        + "\nmetadata: {name: "
        + role
        + (namespace == null ? "" : ", namespace: " + namespace)
        + "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: "
        + roleKind
        + ", name: "
        + role
        + "}\nsubjects: [{kind: ServiceAccount, namespace: "
        + account[0]
        + ", name: "
        + account[1]
        + "}]\n";
  }
}
