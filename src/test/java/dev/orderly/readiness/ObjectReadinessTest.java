package dev.orderly.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ObjectReadinessTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<Arguments> objects() {
    return Stream.of(
        // case, object, expected: null when ready, else the reason
        row(
            "Deployment rolled out",
            """
            kind: Deployment
            metadata: {generation: 2}
            spec: {replicas: 2}
            status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2}
            """,
            null),
        row(
            "Deployment with one replica by default",
            """
            kind: Deployment
            metadata: {generation: 1}
            status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
            """,
            null),
        row(
            "Deployment whose new spec the controller has not seen",
            """
            kind: Deployment
            metadata: {generation: 3}
            spec: {replicas: 1}
            status: {observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
            """,
            "generation 3 not yet observed"),
        row(
            "Deployment without any status yet",
            """
            kind: Deployment
            metadata: {generation: 1}
            spec: {replicas: 1}
            """,
            "its controller has not observed it yet"),
        row(
            "Deployment whose pods never become available",
            """
            kind: Deployment
            metadata: {generation: 1}
            spec: {replicas: 2}
            status: {observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 0}
            """,
            "0 of 2 replicas available"),
        row(
            "Deployment halfway through its rollout",
            """
            kind: Deployment
            metadata: {generation: 2}
            spec: {replicas: 3}
            status: {observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3}
            """,
            "1 of 3 replicas updated"),
        row(
            "Deployment with an old replica still running",
            """
            kind: Deployment
            metadata: {generation: 2}
            spec: {replicas: 2}
            status: {observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2}
            """,
            "1 old replica still running"),
        row(
            "Deployment past its progress deadline",
            """
            kind: Deployment
            metadata: {generation: 1}
            spec: {replicas: 1}
            status:
              observedGeneration: 1
              conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded}]
            """,
            "progress deadline exceeded"),
        row(
            "StatefulSet rolled out",
            """
            kind: StatefulSet
            metadata: {generation: 1}
            spec: {replicas: 3}
            status: {observedGeneration: 1, readyReplicas: 3, updatedReplicas: 3,
                     currentRevision: db-1, updateRevision: db-1}
            """,
            null),
        row(
            "StatefulSet still updating",
            """
            kind: StatefulSet
            metadata: {generation: 2}
            spec: {replicas: 3}
            status: {observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1,
                     currentRevision: db-1, updateRevision: db-2}
            """,
            "1 of 3 replicas updated"),
        row(
            "StatefulSet with a partition updates only above it",
            """
            kind: StatefulSet
            metadata: {generation: 2}
            spec: {replicas: 3, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}}
            status: {observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1,
                     currentRevision: db-1, updateRevision: db-2}
            """,
            null),
        row(
            "StatefulSet not all ready",
            """
            kind: StatefulSet
            metadata: {generation: 1}
            spec: {replicas: 3}
            status: {observedGeneration: 1, readyReplicas: 2}
            """,
            "2 of 3 replicas ready"),
        row(
            "DaemonSet on every node",
            """
            kind: DaemonSet
            metadata: {generation: 1}
            status: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3,
                     numberAvailable: 3}
            """,
            null),
        row(
            "DaemonSet with pods not available",
            """
            kind: DaemonSet
            metadata: {generation: 1}
            status: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3,
                     numberAvailable: 1}
            """,
            "1 of 3 pods available"),
        row(
            "DaemonSet on no node at all is rolled out",
            """
            kind: DaemonSet
            metadata: {generation: 1}
            status: {observedGeneration: 1, desiredNumberScheduled: 0}
            """,
            null),
        row(
            "Job complete",
            """
            kind: Job
            status: {conditions: [{type: Complete, status: "True"}]}
            """,
            null),
        row(
            "Job failed",
            """
            kind: Job
            status: {conditions: [{type: Failed, status: "True", reason: BackoffLimitExceeded}]}
            """,
            "failed: BackoffLimitExceeded"),
        row("Job running", "kind: Job\nstatus: {active: 1}\n", "not complete"),
        row("claim bound", "kind: PersistentVolumeClaim\nstatus: {phase: Bound}\n", null),
        row(
            "claim pending",
            "kind: PersistentVolumeClaim\nstatus: {phase: Pending}\n",
            "not bound (Pending)"),
        row(
            "Pod ready",
            "kind: Pod\nstatus: {phase: Running, conditions: [{type: Ready, status: \"True\"}]}\n",
            null),
        row("Pod starting", "kind: Pod\nstatus: {phase: Pending}\n", "not ready"),
        row("ClusterIP Service", "kind: Service\nspec: {type: ClusterIP}\n", null),
        row(
            "LoadBalancer Service without an address",
            "kind: Service\nspec: {type: LoadBalancer}\nstatus: {loadBalancer: {}}\n",
            "no load balancer address yet"),
        row(
            "LoadBalancer Service with an address",
            """
            kind: Service
            spec: {type: LoadBalancer}
            status: {loadBalancer: {ingress: [{ip: 192.0.2.10}]}}
            """,
            null),
        row(
            "CRD established",
            "kind: CustomResourceDefinition\nstatus: {conditions: [{type: Established, status:"
                + " \"True\"}]}\n",
            null),
        row("CRD not established", "kind: CustomResourceDefinition\n", "not established"),
        row("ConfigMap exists", "kind: ConfigMap\nmetadata: {name: config}\n", null),
        row(
            "custom resource whose Ready is False",
            """
            kind: Certificate
            metadata: {generation: 1}
            status: {observedGeneration: 1, conditions: [{type: Ready, status: "False", reason: Issuing}]}
            """,
            "Ready is False (Issuing)"),
        row(
            "custom resource behind its generation",
            """
            kind: Certificate
            metadata: {generation: 2}
            status: {observedGeneration: 1, conditions: [{type: Ready, status: "True"}]}
            """,
            "generation 2 not yet observed"),
        row(
            "custom resource without status is ready once it exists",
            "kind: Widget\nmetadata: {generation: 1}\n",
            null),
        row(
            "custom resource stalled",
            """
            kind: Widget
            status: {conditions: [{type: Stalled, status: "True", reason: BadConfig}]}
            """,
            "stalled (BadConfig)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objects")
  void judgesReadinessAsKstatusDoes(String description, JsonNode object, String expected) {
    Verdict verdict = ObjectReadiness.assess(object);
    assertThat(verdict.ready()).as("ready").isEqualTo(expected == null);
    assertThat(verdict.why()).isEqualTo(expected);
  }

  private static Arguments row(String description, String yaml, String expected) {
    try {
      return Arguments.of(description, YAML.readTree(yaml), expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
