package dev.orderly.kube;

import dev.orderly.api.UninstallOptions.Propagation;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fabric8 calls the teardown makes, by apiVersion, kind, namespace and name. Every call is a
 * single request; none waits. A 404 on delete counts as success.
 */
public class ClusterObjects {
  private final KubernetesClient client;

  public ClusterObjects(KubernetesClient client) {
    this.client = client;
  }

  /** The object, or empty when it does not exist (or its kind is no longer served). */
  public Optional<GenericKubernetesResource> get(
      String apiVersion, String kind, String namespace, String name) {
    try {
      return Optional.ofNullable(resource(apiVersion, kind, namespace, name).get());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || isUnknownKind(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Sends one DELETE with the given propagation; an absent object is not an error. */
  public void delete(
      String apiVersion, String kind, String namespace, String name, Propagation propagation) {
    try {
      resource(apiVersion, kind, namespace, name)
          .withPropagationPolicy(DeletionPropagation.valueOf(propagation.name().toUpperCase()))
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND && !isUnknownKind(e)) {
        throw e;
      }
    }
  }

  /**
   * Cluster-scoped kinds a chart commonly contains, searched for a release whose Helm record is
   * gone (a namespace deletion takes the record with it). CRDs are left out on purpose: the
   * teardown never deletes one.
   */
  static final List<String[]> CLUSTER_SCOPED_RELEASE_KINDS =
      List.of(
          new String[] {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
          new String[] {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
          new String[] {"apiregistration.k8s.io/v1", "APIService"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRole"},
          new String[] {"scheduling.k8s.io/v1", "PriorityClass"},
          new String[] {"storage.k8s.io/v1", "StorageClass"},
          new String[] {"networking.k8s.io/v1", "IngressClass"});

  /**
   * The cluster-scoped objects Helm made for release {@code namespace/release}, told by the
   * ownership annotations Helm puts on every object it creates. A kind the operator may not list is
   * skipped: it cannot have been installed by it either.
   */
  public List<GenericKubernetesResource> clusterScopedObjectsOf(String release, String namespace) {
    List<GenericKubernetesResource> found = new ArrayList<>();
    for (String[] kind : CLUSTER_SCOPED_RELEASE_KINDS) {
      try {
        client.genericKubernetesResources(kind[0], kind[1]).list().getItems().stream()
            .filter(object -> ownedByRelease(object, release, namespace))
            .forEach(found::add);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN
            && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND
            && !isUnknownKind(e)) {
          throw e;
        }
      }
    }
    return found;
  }

  private static boolean ownedByRelease(
      GenericKubernetesResource object, String release, String namespace) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null
        && release.equals(annotations.get("meta.helm.sh/release-name"))
        && namespace.equals(annotations.get("meta.helm.sh/release-namespace"));
  }

  /** Creates {@code object} and returns it as stored, with its UID. */
  public GenericKubernetesResource create(GenericKubernetesResource object) {
    return client.resource(object).create();
  }

  /** DaemonSets in {@code namespace} matching {@code selector} (all of them when null). */
  public List<DaemonSet> daemonSets(String namespace, LabelSelector selector) {
    var inNamespace = client.apps().daemonSets().inNamespace(namespace);
    return (selector == null ? inNamespace.list() : inNamespace.withLabelSelector(selector).list())
        .getItems();
  }

  /**
   * How many pods in {@code namespace} name {@code ownerUid} among their owners: one list of the
   * namespace's pods, for when the Pod kind cannot be watched.
   */
  public int podsOwnedBy(String namespace, String ownerUid) {
    return (int)
        client.pods().inNamespace(namespace).list().getItems().stream()
            .filter(
                pod ->
                    pod.getMetadata().getOwnerReferences() != null
                        && pod.getMetadata().getOwnerReferences().stream()
                            .anyMatch(owner -> ownerUid.equals(owner.getUid())))
            .count();
  }

  /** Helm's release Secrets for {@code release}, every revision. */
  public List<Secret> releaseSecrets(String namespace, String release) {
    return client
        .secrets()
        .inNamespace(namespace)
        .withLabels(Map.of("owner", "helm", "name", release))
        .list()
        .getItems();
  }

  /** Deletes one Secret; an absent one is not an error. */
  public void deleteSecret(String namespace, String name) {
    client.secrets().inNamespace(namespace).withName(name).delete();
  }

  /**
   * Deletes {@code secret} only if it is unchanged since it was read (a resourceVersion
   * precondition); false when it changed meanwhile. An absent one is not an error.
   */
  public boolean deleteSecretIfUnchanged(Secret secret) {
    try {
      client
          .secrets()
          .inNamespace(secret.getMetadata().getNamespace())
          .withName(secret.getMetadata().getName())
          .lockResourceVersion(secret.getMetadata().getResourceVersion())
          .delete();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      return true;
    }
  }

  /** Replaces {@code secret}, checking its resourceVersion, so a concurrent change fails it. */
  public void updateSecret(Secret secret) {
    client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).update();
  }

  private Resource<GenericKubernetesResource> resource(
      String apiVersion, String kind, String namespace, String name) {
    var operation = client.genericKubernetesResources(apiVersion, kind);
    return namespace == null
        ? operation.withName(name)
        : operation.inNamespace(namespace).withName(name);
  }

  // fabric8 throws when discovery no longer knows the kind, e.g. its CRD is already gone; then no
  // object of that kind can exist either.
  private static boolean isUnknownKind(KubernetesClientException e) {
    return String.valueOf(e.getMessage()).contains("Could not find the metadata");
  }
}
