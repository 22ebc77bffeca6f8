package dev.orderly.cli;

import dev.orderly.helm.ReleaseSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the Secret of a release's latest revision, the record Helm (and the operator's teardown)
 * treats as current, the way {@code helm status} finds it: by label, highest revision wins.
 */
final class ClusterRelease {

  private ClusterRelease() {}

  /** A client from {@code kubeconfig}, or from fabric8's defaults when it is null. */
  static KubernetesClient client(Path kubeconfig) {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    try {
      String contents = Files.readString(kubeconfig);
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(contents)).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
    }
  }

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
