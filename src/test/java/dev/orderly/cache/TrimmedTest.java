package dev.orderly.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.dependencies.ReleaseNodes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reduced copies the record and dependency caches keep: what is read, and nothing else. */
class TrimmedTest {
  @Test
  void aReleaseRecordKeepsItsIdentityAndHelmLabelsButNoPayload() {
    String payload = Base64.getEncoder().encodeToString(new byte[1024 * 1024]);
    Secret record =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("agents")
            .withName("sh.helm.release.v1.agent.v3")
            .withUid("u-3")
            .withResourceVersion("42")
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .withLabels(
                Map.of(
                    "owner",
                    "helm",
                    "name",
                    "agent",
                    "status",
                    "deployed",
                    "version",
                    "3",
                    "team",
                    "x"))
            .withAnnotations(Map.of("note", "y"))
            .withManagedFields(new ManagedFieldsEntry())
            .endMetadata()
            .withType("helm.sh/release.v1")
            .withData(Map.of("release", payload))
            .build();

    Secret trimmed = Trimmed.releaseRecord(record);

    assertThat(trimmed.getData()).isNullOrEmpty();
    assertThat(trimmed.getMetadata().getManagedFields()).isEmpty();
    assertThat(trimmed.getMetadata().getAnnotations()).isEmpty();
    assertThat(trimmed.getMetadata().getLabels())
        .containsOnly(
            Map.entry("owner", "helm"),
            Map.entry("name", "agent"),
            Map.entry("status", "deployed"),
            Map.entry("version", "3"));
    assertThat(trimmed.getMetadata().getUid()).isEqualTo("u-3");
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(trimmed.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(Serialization.asJson(trimmed).length())
        .as("about a kilobyte for a megabyte record")
        .isLessThan(1024);
  }

  @Test
  void aDependencyNodeKeepsWhatTheGraphReadsAndDropsTheValues() {
    OrderedRelease release =
        Serialization.unmarshal(
            """
            apiVersion: orderly.dev/v1alpha1
            kind: OrderedRelease
            metadata:
              name: app
              namespace: shop
              uid: u-1
              resourceVersion: "9"
              generation: 4
              deletionTimestamp: "2026-01-01T00:00:00Z"
              annotations: {big: note}
            spec:
              chart: {path: /charts/app}
              releaseName: web
              targetNamespace: shop-web
              values: {replicas: 3, blob: "%s"}
              dependsOn: [{name: db}, {name: queue, namespace: infra}]
            status:
              phase: Ready
              conditions:
              - {type: Ready, status: "True", reason: Installed}
              - {type: Reconciling, status: "False", reason: Done}
            """
                .formatted("x".repeat(10_000)),
            OrderedRelease.class);

    OrderedRelease trimmed = Trimmed.dependencyNode(release);

    assertThat(trimmed.getSpec().getValues()).isNull();
    assertThat(trimmed.getSpec().getChart()).isNull();
    assertThat(trimmed.getMetadata().getAnnotations()).isEmpty();
    assertThat(trimmed.getStatus().getConditions()).extracting("type").containsExactly("Ready");
    assertThat(trimmed.releaseName()).isEqualTo("web");
    assertThat(trimmed.targetNamespace()).isEqualTo("shop-web");
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("9");
    assertThat(trimmed.getMetadata().getGeneration()).isEqualTo(4L);
    assertThat(trimmed.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(trimmed.isMarkedForDeletion()).isTrue();
    assertThat(ReleaseNodes.node(trimmed)).isEqualTo(ReleaseNodes.node(release));
    assertThat(ReleaseNodes.dependsOn(trimmed)).hasSize(2);
    assertThat(Serialization.asJson(trimmed).length()).isLessThan(1024);
  }

  @Test
  void anObservedSecretKeepsItsIdentityLabelsAndHelmAnnotationsButNoData() {
    GenericKubernetesResource secret =
        Serialization.unmarshal(
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: sh.helm.release.v1.agent.v1
              namespace: agents
              uid: u-1
              resourceVersion: "42"
              deletionTimestamp: "2026-12-03T12:00:00Z"
              labels: {owner: helm, orderly.dev/teardown: r-1}
              annotations:
                helm.sh/resource-policy: keep
                kubectl.kubernetes.io/last-applied-configuration: "{...big...}"
              ownerReferences: [{apiVersion: v1, kind: Pod, name: p, uid: o-1}]
              finalizers: [example.com/hold]
            data: {release: %s}
            """
                .formatted("A".repeat(100_000)),
            GenericKubernetesResource.class);

    GenericKubernetesResource trimmed = Trimmed.observedObject(secret);

    assertThat(trimmed.getKind()).isEqualTo("Secret");
    assertThat(trimmed.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(trimmed.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(trimmed.getMetadata().getLabels()).containsEntry("orderly.dev/teardown", "r-1");
    assertThat(trimmed.getMetadata().getAnnotations()).containsOnlyKeys("helm.sh/resource-policy");
    assertThat(trimmed.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(trimmed.getMetadata().getFinalizers()).containsExactly("example.com/hold");
    assertThat(trimmed.getAdditionalProperties()).doesNotContainKey("data");
    assertThat(Serialization.asJson(trimmed).length()).isLessThan(1_000);
  }

  @Test
  void anObservedJobKeepsItsConditionsAndAPodItsPhaseButNoSpec() {
    GenericKubernetesResource job =
        Serialization.unmarshal(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: drain, namespace: agents, uid: j-1, resourceVersion: "7"}
            spec: {template: {spec: {containers: [{name: c, image: busybox}]}}}
            status:
              active: 1
              conditions: [{type: Complete, status: "True"}]
            """,
            GenericKubernetesResource.class);
    GenericKubernetesResource pod =
        Serialization.unmarshal(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: agent-x, namespace: agents, uid: p-1, resourceVersion: "8"}
            spec: {containers: [{name: c, image: busybox}]}
            status: {phase: Failed, reason: Evicted, podIP: 10.0.0.1}
            """,
            GenericKubernetesResource.class);

    GenericKubernetesResource trimmedJob = Trimmed.observedObject(job);
    GenericKubernetesResource trimmedPod = Trimmed.observedObject(pod);

    assertThat(trimmedJob.getAdditionalProperties())
        .containsOnlyKeys("status")
        .containsEntry(
            "status", Map.of("conditions", List.of(Map.of("type", "Complete", "status", "True"))));
    assertThat(trimmedPod.getAdditionalProperties())
        .containsOnlyKeys("status")
        .containsEntry("status", Map.of("phase", "Failed", "reason", "Evicted"));
  }

  @Test
  void aTrimmedStoreKeepsTheTrimmedCopyAndGivesBackThePreviousOne() {
    TrimmedStore<Secret> store = new TrimmedStore<>(Trimmed::releaseRecord);
    Secret v1 =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("a")
            .withName("r")
            .withResourceVersion("1")
            .endMetadata()
            .withData(Map.of("release", "eA=="))
            .build();
    Secret v2 = new SecretBuilder(v1).editMetadata().withResourceVersion("2").endMetadata().build();

    assertThat(store.put(store.getKey(v1), v1)).isNull();
    assertThat(store.get("a/r").getData()).isNullOrEmpty();
    assertThat(store.put("a/r", v2).getMetadata().getResourceVersion()).isEqualTo("1");
    assertThat(store.keySet().toList()).isEqualTo(List.of("a/r"));
    assertThat(store.remove("a/r").getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(store.size()).isZero();
  }
}
