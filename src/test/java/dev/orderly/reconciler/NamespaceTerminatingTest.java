package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** The NamespaceLifecycle refusal is told apart from every other 403. */
class NamespaceTerminatingTest {
  @Test
  void theNamespaceLifecycleRefusalIsRecognisedByItsCause() {
    // As kube-apiserver 1.24 answers a create in a namespace being deleted.
    Status status =
        new StatusBuilder()
            .withCode(403)
            .withReason("Forbidden")
            .withMessage(
                "jobs.batch \"drain\" is forbidden: unable to create new content in namespace"
                    + " apps because it is being terminated")
            .withNewDetails()
            .withName("drain")
            .withKind("jobs")
            .addNewCause()
            .withReason("NamespaceTerminating")
            .withField("metadata.namespace")
            .endCause()
            .endDetails()
            .build();
    assertThat(TeardownExecutor.namespaceTerminating(new KubernetesClientException(status)))
        .isTrue();
  }

  @Test
  void otherRefusalsAreNot() {
    Status rbac =
        new StatusBuilder()
            .withCode(403)
            .withMessage("jobs.batch is forbidden: User \"x\" cannot create resource \"jobs\"")
            .build();
    assertThat(TeardownExecutor.namespaceTerminating(new KubernetesClientException(rbac)))
        .isFalse();
    Status conflict = new StatusBuilder().withCode(409).withMessage("being terminated").build();
    assertThat(TeardownExecutor.namespaceTerminating(new KubernetesClientException(conflict)))
        .isFalse();
    assertThat(TeardownExecutor.namespaceTerminating(new IllegalArgumentException("bad")))
        .isFalse();
  }
}
