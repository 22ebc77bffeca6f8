package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A tenant as a multi-tenant cluster makes one: a ServiceAccount bound to the built-in ClusterRole
 * {@code admin} in its own namespace only (a RoleBinding), and what the audit log says it did.
 */
final class Tenants {
  /** The test chart whose values.attempt picks an ordinary or an overreaching object. */
  static final Path CHART =
      Path.of("src", "test", "resources", "charts", "tenant").toAbsolutePath();

  private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

  private Tenants() {}

  /** The tenant chart trying {@code attempt} (none, clusterRole, bindAdmin). */
  static ChartSource chart() {
    return ChartSource.fromPath(CHART.toString());
  }

  /**
   * Makes {@code account} in {@code namespace} (unless it is {@code default}, which the
   * controller-manager makes) and grants it {@code admin} there.
   */
  static void grantAdmin(KubernetesClient admin, String namespace, String account) {
    if (!"default".equals(account)) {
      admin
          .serviceAccounts()
          .inNamespace(namespace)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(account).endMetadata().build())
          .create();
    }
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(account + "-admin")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "admin")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(account)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .create();
  }

  static String user(String namespace, String account) {
    return "system:serviceaccount:" + namespace + ":" + account;
  }

  /** Every write the operator's process made since {@code since} that the server allowed. */
  static List<Entry> operatorWrites(AuditLog audit, Instant since) {
    return audit.matching(
        since,
        e ->
            e.user().equals(ControlPlane.OPERATOR_USER)
                && WRITES.contains(e.verb())
                && e.succeeded());
  }

  /** The Warning Events of {@code reason} about {@code name} in {@code namespace}. */
  static List<Event> warnings(
      KubernetesClient admin, String namespace, String name, String reason) {
    return admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()))
        .filter(e -> reason.equals(e.getReason()))
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /**
   * Asserts a Warning Event of {@code reason} whose message contains every one of {@code says} (a
   * refused install is tried again after a growing backoff, each try announced).
   */
  static void assertWarning(
      KubernetesClient admin, String namespace, String name, String reason, String... says) {
    List<Event> events = warnings(admin, namespace, name, reason);
    assertThat(events).as("Warning Events %s about %s/%s", reason, namespace, name).isNotEmpty();
    assertThat(events.get(0).getMessage()).contains(says);
  }
}
