package dev.orderly.kube;

import dev.orderly.api.CrdSchemaGap;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compares the OrderedRelease CRD installed in the cluster with the one this operator was built
 * with (packaged beside its classes), before the operator starts: see {@link CrdSchemaGap} for why
 * a CRD older than the operator must stop it.
 */
public final class InstalledCrd {
  /** The CRD's name in the cluster. */
  public static final String NAME = "orderedreleases.orderly.dev";

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private static final String BUNDLED = "/META-INF/fabric8/" + NAME + "-v1.yml";

  /** What the comparison found. */
  public sealed interface Verdict {}

  /** The installed CRD has every field this operator's has. */
  public record Current() implements Verdict {}

  /** No OrderedRelease CRD is installed. */
  public record NotInstalled() implements Verdict {}

  /** The installed CRD lacks these fields (dotted paths); the API server would drop them. */
  public record Outdated(List<String> missing) implements Verdict {}

  /** The CRD could not be read, e.g. the operator may not get CRDs; nothing was compared. */
  public record Unreadable(String why) implements Verdict {}

  private InstalledCrd() {}

  /** Reads the installed CRD (one GET) and compares it with the bundled one. */
  public static Verdict check(KubernetesClient client) {
    CustomResourceDefinition installed;
    // Bounded: a start-up check must never hold the operator back, whatever the server does.
    CompletableFuture<CustomResourceDefinition> read =
        CompletableFuture.supplyAsync(
            () -> client.apiextensions().v1().customResourceDefinitions().withName(NAME).get(),
            runnable -> {
              Thread thread = new Thread(runnable, "orderly-crd-check");
              thread.setDaemon(true);
              thread.start();
            });
    try {
      installed = read.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      read.cancel(true);
      return new Unreadable("no answer within " + READ_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KubernetesClientException refused) {
        return new Unreadable(ApiErrors.describe(refused));
      }
      throw new IllegalStateException("reading the OrderedRelease CRD failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unreadable("interrupted");
    }
    if (installed == null) {
      return new NotInstalled();
    }
    List<String> missing = CrdSchemaGap.missing(bundled(), installed);
    return missing.isEmpty() ? new Current() : new Outdated(missing);
  }

  /** The CRD this operator was built with. */
  public static CustomResourceDefinition bundled() {
    try (InputStream in = InstalledCrd.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(BUNDLED + " is missing from the operator's classpath");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the CRD of this version is, for messages. */
  public static String applyHint() {
    return "kubectl apply --server-side -f crds/"
        + NAME
        + "-v1.yml (Helm installs a chart's CRDs but never upgrades them; the operator's chart"
        + " carries the same file in its crds/)";
  }
}
