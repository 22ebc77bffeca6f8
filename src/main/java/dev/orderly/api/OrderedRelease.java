package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Helm release that Orderly installs, upgrades and tears down in a guaranteed order. */
@Group(OrderedRelease.GROUP)
@Version(OrderedRelease.VERSION)
@ShortNames("orel")
// kubectl's convention: NAME, the status columns, AGE last; the message only with -o wide. The
// generator sorts columns by JSONPath, so the checked-in CRD puts them back in this order
// (CrdInSyncTest).
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".status.release.revision",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Reconciled",
    jsonPath = ".status.lastReconcileTime",
    type = AdditionalPrinterColumn.Type.DATE,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    priority = 1)
public class OrderedRelease extends CustomResource<OrderedReleaseSpec, OrderedReleaseStatus>
    implements Namespaced {
  public static final String GROUP = "orderly.dev";
  public static final String VERSION = "v1alpha1";

  /** The finalizer that holds the object until the ordered teardown has finished. */
  public static final String FINALIZER = "orderly.dev/ordered-teardown";

  /**
   * Label on every hook object the teardown creates, valued with the OrderedRelease's UID, so a
   * hook created just before a crash is recognised, and not run again, after the restart.
   */
  public static final String TEARDOWN_LABEL = "orderly.dev/teardown-of";

  /**
   * Required by the schema: the API server refuses an OrderedRelease without one, so the operator
   * never has to guess which chart it was meant to install or tear down.
   */
  @Override
  @Required
  @JsonPropertyDescription(
      "The desired release: which chart, with which values, and how it is installed, upgraded"
          + " and torn down.")
  public OrderedReleaseSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last observed and did: conditions, the Helm release, the teardown's"
          + " progress, and when the operator last reconciled the object.")
  public OrderedReleaseStatus getStatus() {
    return super.getStatus();
  }

  /** The release name Helm uses: {@code spec.releaseName}, or the object's name. */
  public String releaseName() {
    String name = getSpec() == null ? null : getSpec().getReleaseName();
    return name == null || name.isBlank() ? getMetadata().getName() : name;
  }

  /**
   * The namespace the release lives in: {@code spec.targetNamespace}, or the object's namespace.
   */
  public String targetNamespace() {
    String ns = getSpec() == null ? null : getSpec().getTargetNamespace();
    return ns == null || ns.isBlank() ? getMetadata().getNamespace() : ns;
  }
}
