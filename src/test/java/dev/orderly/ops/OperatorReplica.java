package dev.orderly.ops;

import dev.orderly.helm.HelmJavaClient;
import dev.orderly.reconciler.OrderlyOperator;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One operator pod in a test: the real operator with leader election, its own fabric8 client and
 * work dir, and helm-java, against a {@link TestApiServer}. close() stops it as a pod would stop.
 */
final class OperatorReplica implements AutoCloseable {
  private final String name;
  private final KubernetesClient client;
  private final Path workDir;
  private final OrderlyOperator operator;
  private boolean closed;

  private OperatorReplica(
      String name, KubernetesClient client, Path workDir, OrderlyOperator operator) {
    this.name = name;
    this.client = client;
    this.workDir = workDir;
    this.operator = operator;
  }

  /**
   * Starts a replica named {@code name} (its Events' reportingInstance and its Lease identity) that
   * competes for the Lease in {@code leaseNamespace} and watches {@code namespaces} (empty: all);
   * its SelfSubjectRulesReview is answered with {@code rules}.
   */
  static OperatorReplica start(
      TestApiServer server,
      String name,
      String leaseNamespace,
      Set<String> namespaces,
      List<ResourceRule> rules) {
    KubernetesClient client = OperatorClients.operator(server, rules);
    Path workDir;
    try {
      workDir = Files.createTempDirectory("orderly-" + name);
    } catch (IOException e) {
      client.close();
      throw new UncheckedIOException(e);
    }
    try {
      OrderlyOperator operator =
          OrderlyOperator.start(
              client,
              new HelmJavaClient(server.kubeconfig()),
              new OrderlyOperator.Settings(
                  namespaces, 2, 4, workDir, name, Clock.systemUTC(), leaseNamespace));
      return new OperatorReplica(name, client, workDir, operator);
    } catch (RuntimeException e) {
      client.close();
      deleteTree(workDir);
      throw e;
    }
  }

  String name() {
    return name;
  }

  OrderlyOperator operator() {
    return operator;
  }

  boolean leading() {
    return operator.leading();
  }

  boolean ready() {
    return operator.ready();
  }

  @Override
  public String toString() {
    return name;
  }

  /** Stops the operator, then closes its client and removes its work dir; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      operator.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.close();
      deleteTree(workDir);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
