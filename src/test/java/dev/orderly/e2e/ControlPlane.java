package dev.orderly.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real Kubernetes control plane (kube-apiserver, controller-manager, scheduler; no kubelet),
 * named by the kubeconfig in {@value #KUBECONFIG_ENV}. {@code .ci/run} starts the one in {@code
 * ../shared/k8s} and sets it; any cluster whose nodes the suite may simulate works.
 */
final class ControlPlane implements AutoCloseable {
  /** The environment variable naming an admin kubeconfig of the control plane. */
  static final String KUBECONFIG_ENV = "ORDERLY_E2E_KUBECONFIG";

  /** The environment variable naming its audit log; default: audit.log beside the kubeconfig. */
  static final String AUDIT_LOG_ENV = "ORDERLY_E2E_AUDIT_LOG";

  /** The operator's identity: the ServiceAccount of the operator's chart. */
  static final String OPERATOR_NAMESPACE = "orderly-system";

  static final String OPERATOR_ACCOUNT = "orderly";

  static final String OPERATOR_USER =
      "system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + OPERATOR_ACCOUNT;

  private final Config adminConfig;
  private final KubernetesClient admin;
  private final AuditLog audit;

  private ControlPlane(Path kubeconfig, Path auditLog) {
    this.adminConfig = configFrom(kubeconfig);
    this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    this.audit = new AuditLog(auditLog);
  }

  /** The control plane named by the environment, if any. */
  static Optional<ControlPlane> fromEnvironment() {
    return kubeconfig()
        .map(
            kubeconfig ->
                new ControlPlane(
                    kubeconfig,
                    Optional.ofNullable(System.getenv(AUDIT_LOG_ENV))
                        .map(Path::of)
                        .orElse(kubeconfig.toAbsolutePath().getParent().resolve("audit.log"))));
  }

  static Optional<Path> kubeconfig() {
    String value = System.getenv(KUBECONFIG_ENV);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
  }

  KubernetesClient admin() {
    return admin;
  }

  AuditLog audit() {
    return audit;
  }

  /** A client acting as {@code namespace/serviceAccount}, authorised by the real RBAC. */
  KubernetesClient as(String namespace, String serviceAccount) {
    Config config =
        new ConfigBuilder(adminConfig)
            .withImpersonateUsername("system:serviceaccount:" + namespace + ":" + serviceAccount)
            .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace)
            .withUserAgent("orderly-e2e-probe")
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** An admin client whose requests the audit log shows with {@code userAgent}. */
  KubernetesClient adminAs(String userAgent) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(adminConfig).withUserAgent(userAgent).build())
        .build();
  }

  /**
   * Installs what the operator's manifests in {@code operator/} hold except its Deployment (the
   * CRD, namespace, ServiceAccount and RBAC, exactly as a user would apply them) and writes a
   * kubeconfig that authenticates as that ServiceAccount with a TokenRequest token, so the operator
   * has exactly the chart's permissions.
   */
  Path installOperatorIdentity(Path manifests, Path kubeconfigOut) {
    try (Stream<Path> files = Files.list(manifests)) {
      List<Path> yaml =
          files
              .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .filter(f -> !f.getFileName().toString().equals("deployment.yaml"))
              .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
              .sorted((a, b) -> rank(a) - rank(b))
              .toList();
      for (Path file : yaml) {
        try (InputStream in = Files.newInputStream(file)) {
          for (HasMetadata item : admin.load(in).items()) {
            admin.resource(item).forceConflicts().serverSideApply();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Awaitility.await("the OrderedRelease CRD is established")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("orderedreleases.orderly.dev")
                    .get()
                    .getStatus()
                    .getConditions()
                    .stream()
                    .anyMatch(
                        c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
    return tokenKubeconfig(OPERATOR_NAMESPACE, OPERATOR_ACCOUNT, kubeconfigOut);
  }

  /**
   * Writes a kubeconfig that authenticates as {@code namespace/account} with a TokenRequest token
   * (valid 2 hours), so its requests carry that ServiceAccount's name in the audit log.
   */
  Path tokenKubeconfig(String namespace, String account, Path kubeconfigOut) {
    TokenRequest token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(account)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(7200L)
                    .endSpec()
                    .build());
    String kubeconfig =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: e2e",
            "  cluster:",
            "    server: " + adminConfig.getMasterUrl(),
            "    certificate-authority: " + adminConfig.getCaCertFile(),
            "users:",
            "- name: " + account,
            "  user:",
            "    token: " + token.getStatus().getToken(),
            "contexts:",
            "- name: e2e",
            "  context:",
            "    cluster: e2e",
            "    user: " + account,
            "    namespace: " + namespace,
            "current-context: e2e",
            "");
    try {
      Files.createDirectories(kubeconfigOut.getParent());
      Files.writeString(kubeconfigOut, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kubeconfigOut;
  }

  /**
   * Creates the ServiceAccount {@code namespace/account} (and its namespace) bound to {@code
   * cluster-admin}, as a user running {@code helm} with full rights, and returns a kubeconfig
   * acting as it: its requests are told apart from the operator's and the tests' in the audit log.
   */
  Path clusterAdminAccount(String namespace, String account, Path kubeconfigOut) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(existing -> existing.update());
    admin
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(account)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(namespace + "-" + account)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(account)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
    return tokenKubeconfig(namespace, account, kubeconfigOut);
  }

  /**
   * Grants the operator every verb on {@code resources} of {@code apiGroup} through a ClusterRole
   * and binding named {@code name}, as the operator chart's README tells a user whose charts hold
   * kinds the default rules leave out. {@link #revoke} removes it.
   */
  void grantToOperator(String name, String apiGroup, String... resources) {
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addNewRule()
                .withApiGroups(apiGroup)
                .withResources(resources)
                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
                .endRule()
                .build())
        .createOr(existing -> existing.update());
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(OPERATOR_ACCOUNT)
                .withNamespace(OPERATOR_NAMESPACE)
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
  }

  /** Removes a grant made by {@link #grantToOperator}. */
  void revoke(String name) {
    admin.rbac().clusterRoleBindings().withName(name).delete();
    admin.rbac().clusterRoles().withName(name).delete();
  }

  // The namespace before what lives in it, the CRD before anything else.
  private static int rank(Path file) {
    String name = file.getFileName().toString();
    if (name.startsWith("namespace")) {
      return 0;
    }
    return name.contains("orderly.dev") ? 1 : 2;
  }

  private static Config configFrom(Path kubeconfig) {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
