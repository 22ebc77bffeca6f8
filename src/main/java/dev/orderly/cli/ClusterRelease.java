package dev.orderly.cli;

import dev.orderly.helm.ReleaseSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Reads the Secret of a release's latest revision, the record Helm (and the operator's teardown)
 * treats as current, the way {@code helm status} finds it: by label, highest revision wins.
 */
final class ClusterRelease {

  private ClusterRelease() {}

  /**
   * The latest revision's Secret.
   *
   * @throws IllegalArgumentException when the namespace holds no revision of the release
   */
  static Secret latest(KubernetesClient client, String release, String namespace) {
    List<Secret> secrets =
        client
            .secrets()
            .inNamespace(namespace)
            .withLabelSelector(ReleaseSecrets.selector(release))
            .list()
            .getItems();
    return ReleaseSecrets.latest(release, secrets)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no Helm release " + release + " in namespace " + namespace));
  }
}
