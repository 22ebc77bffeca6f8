package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl get orel} prints, pinned: kubectl's convention, AGE last; with {@code -o
 * wide} also how long ago the operator last reconciled, and the Ready message.
 */
class CrdPrinterColumnsTest {
  @Test
  void columnsFollowKubectlsConvention() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Path.of("crds").resolve(CrdFile.NAME)),
            CustomResourceDefinition.class);

    assertThat(crd.getSpec().getVersions()).hasSize(1);
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType,
            CustomResourceColumnDefinition::getPriority)
        .containsExactly(
            tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string", 0),
            tuple("Phase", ".status.phase", "string", 0),
            tuple("Revision", ".status.release.revision", "integer", 0),
            tuple("Age", ".metadata.creationTimestamp", "date", 0),
            tuple("Reconciled", ".status.lastReconcileTime", "date", 1),
            tuple("Message", ".status.conditions[?(@.type==\"Ready\")].message", "string", 1));
  }
}
