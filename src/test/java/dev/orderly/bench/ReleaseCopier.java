package dev.orderly.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.ReleaseOwnership;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.reconciler.ReleaseDigest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Installs many benchmark releases quickly: one is installed by the operator with Helm, the rest
 * are copies of it made with the fabric8 client while the operator is stopped: every chart object,
 * Helm's release record (Helm's full release JSON, re-encoded with {@link ReleaseRecordCodec}), and
 * the OrderedRelease with its finalizer and the status the operator wrote (its applied digest
 * recomputed for the new namespace), so the restarted operator adopts each copy without running
 * Helm. Only the namespace differs from a Helm install; teardown sees the same.
 */
final class ReleaseCopier {
  static final String TEMPLATE = "bench-template";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RECORD_PREFIX = "sh.helm.release.v1.";

  /** The chart's object kinds as apiVersion and kind, namespaced ones first. */
  private static final List<String[]> KINDS =
      List.of(
          new String[] {"v1", "ServiceAccount"},
          new String[] {"v1", "ConfigMap"},
          new String[] {"v1", "Secret"},
          new String[] {"v1", "Service"},
          new String[] {"apps/v1", "Deployment"},
          new String[] {"apps/v1", "DaemonSet"},
          new String[] {"rbac.authorization.k8s.io/v1", "Role"},
          new String[] {"rbac.authorization.k8s.io/v1", "RoleBinding"});

  private static final List<String[]> CLUSTER_KINDS =
      List.of(
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRole"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"});

  private final List<String> objects = new ArrayList<>();
  private String record;
  private String release;
  private String templateUid;

  private ReleaseCopier() {}

  /**
   * A snapshot of the template release (namespace {@value #TEMPLATE}, installed by the operator) in
   * {@code client}'s cluster, to copy with {@link #copyInto(KubernetesClient, String, boolean)}.
   */
  static ReleaseCopier of(KubernetesClient client) {
    ReleaseCopier copier = new ReleaseCopier();
    copier.snapshot(client);
    return copier;
  }

  /**
   * Installs the template release with Helm, then copies it into {@code namespaces}; returns once
   * the operator, restarted, has looked at every copy.
   */
  static void installCopies(BenchCluster cluster, List<String> namespaces, Duration timeout) {
    cluster.install(List.of(TEMPLATE), timeout);
    ReleaseCopier copier = new ReleaseCopier();
    copier.snapshot(cluster.driver());
    cluster.stopOperator();
    for (String namespace : namespaces) {
      copier.copyInto(cluster.driver(), namespace);
    }
    cluster.startOperator();
    long wanted = namespaces.size() + 1L;
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> reconciled(cluster) >= wanted);
    cluster.awaitPods(namespaces, timeout);
  }

  private static long reconciled(BenchCluster cluster) {
    return cluster
        .operator()
        .metrics()
        .registry()
        .counterValue("orderly_reconciliations_total", "outcome", "success");
  }

  private void snapshot(KubernetesClient client) {
    for (String[] kind : KINDS) {
      for (GenericKubernetesResource object :
          client
              .genericKubernetesResources(kind[0], kind[1])
              .inNamespace(TEMPLATE)
              .list()
              .getItems()) {
        // Only what Helm made: a real API server adds a ConfigMap and token Secrets of its own.
        if (!object.getMetadata().getName().startsWith(RECORD_PREFIX)
            && object.getMetadata().getAnnotations() != null
            && object.getMetadata().getAnnotations().containsKey("meta.helm.sh/release-name")) {
          objects.add(clean(object));
        }
      }
    }
    for (String[] kind : CLUSTER_KINDS) {
      GenericKubernetesResource object =
          client
              .genericKubernetesResources(kind[0], kind[1])
              .withName(TEMPLATE + "-" + BenchCluster.RELEASE)
              .get();
      objects.add(clean(object));
    }
    Secret secret =
        client
            .secrets()
            .inNamespace(TEMPLATE)
            .withName(RECORD_PREFIX + BenchCluster.RELEASE + ".v1")
            .get();
    record = releaseJson(secret);
    OrderedRelease template =
        client
            .resources(OrderedRelease.class)
            .inNamespace(TEMPLATE)
            .withName(BenchCluster.RELEASE)
            .get();
    String digest = ReleaseDigest.of(template, JsonNodeFactory.instance.objectNode());
    if (!digest.equals(template.getStatus().getRelease().getAppliedDigest())) {
      throw new IllegalStateException(
          "cannot reproduce the operator's digest; copies would be reinstalled");
    }
    templateUid = template.getMetadata().getUid();
    template.getMetadata().setUid(null);
    template.getMetadata().setResourceVersion(null);
    template.getMetadata().setCreationTimestamp(null);
    template.getMetadata().setManagedFields(null);
    release = Serialization.asJson(template);
  }

  private void copyInto(KubernetesClient client, String namespace) {
    copyInto(client, namespace, true);
  }

  /**
   * Copies the release into {@code namespace}: its objects and Helm's record, and with {@code
   * withRelease} the OrderedRelease with its finalizer and status (else it is a plain Helm release,
   * for {@code helm uninstall}).
   */
  void copyInto(KubernetesClient client, String namespace, boolean withRelease) {
    for (String object : objects) {
      client
          .resource(
              Serialization.unmarshal(rename(object, namespace), GenericKubernetesResource.class))
          .create();
    }
    if (!withRelease) {
      client.resource(ReleaseRecordCodec.encode(read(rename(record, namespace)))).create();
      return;
    }
    OrderedRelease copy = Serialization.unmarshal(rename(release, namespace), OrderedRelease.class);
    copy.getStatus()
        .getRelease()
        .setAppliedDigest(ReleaseDigest.of(copy, JsonNodeFactory.instance.objectNode()));
    var status = copy.getStatus();
    OrderedRelease created = client.resource(copy).create();
    // The record names its owner by UID (ReleaseOwnership): the copy's, not the template's.
    String uid = created.getMetadata().getUid();
    Secret secret =
        ReleaseRecordCodec.encode(read(rename(record, namespace).replace(templateUid, uid)));
    secret.getMetadata().getLabels().put(ReleaseOwnership.OWNER_UID_LABEL, uid);
    secret
        .getMetadata()
        .setAnnotations(
            Map.of(ReleaseOwnership.OWNER_ANNOTATION, namespace + "/" + BenchCluster.RELEASE));
    client.resource(secret).create();
    created.setStatus(status);
    client.resource(created).updateStatus();
  }

  private static String clean(GenericKubernetesResource object) {
    var metadata = object.getMetadata();
    metadata.setUid(null);
    metadata.setResourceVersion(null);
    metadata.setCreationTimestamp(null);
    metadata.setManagedFields(null);
    metadata.setGeneration(null);
    object.getAdditionalProperties().remove("status");
    // What a real API server fills in: a Service's allocated IPs, a ServiceAccount's token.
    if (object.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) {
      spec.remove("clusterIP");
      spec.remove("clusterIPs");
    }
    object.getAdditionalProperties().remove("secrets");
    return Serialization.asJson(object);
  }

  private static String rename(String json, String namespace) {
    return json.replace(TEMPLATE, namespace);
  }

  /** Helm's release JSON: base64 (the Secret's) of base64 of gzip. */
  private static String releaseJson(Secret secret) {
    byte[] outer = Base64.getDecoder().decode(secret.getData().get(ReleaseRecordCodec.DATA_KEY));
    byte[] gzip = Base64.getDecoder().decode(new String(outer, StandardCharsets.US_ASCII).trim());
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode read(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
