package dev.orderly.kube;

import dev.orderly.api.OrderedRelease;
import java.util.Optional;

/**
 * A ServiceAccount of an OrderedRelease's own namespace that the calls made for the release are
 * made as, by impersonating its user name; the API server adds the ServiceAccount's groups ({@code
 * system:serviceaccounts}, {@code system:serviceaccounts:<namespace>}) itself.
 */
public record ServiceAccountIdentity(String namespace, String name) {

  /**
   * Who acts for {@code resource}: spec.serviceAccountName, else {@code defaultServiceAccount}
   * (lockdown), both in the object's own namespace; empty means the operator itself.
   */
  public static Optional<ServiceAccountIdentity> of(
      OrderedRelease resource, String defaultServiceAccount) {
    String named = resource.getSpec() == null ? null : resource.getSpec().getServiceAccountName();
    String chosen = blank(named) ? defaultServiceAccount : named;
    return blank(chosen)
        ? Optional.empty()
        : Optional.of(
            new ServiceAccountIdentity(resource.getMetadata().getNamespace(), chosen.trim()));
  }

  /** {@code system:serviceaccount:<namespace>:<name>}. */
  public String username() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /** {@code ServiceAccount ns/name}, for messages. */
  @Override
  public String toString() {
    return "ServiceAccount " + namespace + "/" + name;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
