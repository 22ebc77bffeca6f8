package dev.orderly.ops;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/** OrderedReleases for the ops tests, read and awaited through a client the test chooses. */
final class Releases {
  static final Path NODE_AGENT = Path.of("charts/examples/node-agent").toAbsolutePath();

  private Releases() {}

  /** An OrderedRelease of the node-agent chart with default values. */
  static OrderedRelease nodeAgent(String namespace, String name) {
    return ofChart(namespace, name, NODE_AGENT);
  }

  /** An OrderedRelease of the chart in directory {@code chart}, with default values. */
  static OrderedRelease ofChart(String namespace, String name, Path chart) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath(chart.toAbsolutePath().toString()));
    release.setSpec(spec);
    return release;
  }

  static OrderedRelease get(KubernetesClient client, String namespace, String name) {
    return client.resources(OrderedRelease.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until {@code check} holds for the object and returns it. */
  static OrderedRelease awaitRelease(
      KubernetesClient client, String namespace, String name, Predicate<OrderedRelease> check) {
    try {
      return await()
          .atMost(OperatorHarness.TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> get(client, namespace, name), r -> r != null && check.test(r));
    } catch (ConditionTimeoutException e) {
      OrderedRelease last = get(client, namespace, name);
      throw new AssertionError(
          "the OrderedRelease never reached the expected state; it is now:\n"
              + (last == null ? "gone" : Serialization.asYaml(last.getStatus())),
          e);
    }
  }

  /** Waits until the object is Ready after an install or upgrade ending with {@code reason}. */
  static OrderedRelease awaitReady(
      KubernetesClient client, String namespace, String name, String reason) {
    return awaitRelease(
        client, namespace, name, r -> OperatorHarness.hasCondition(r, "Ready", "True", reason));
  }

  /** Waits until the teardown has finished and the object is gone. */
  static void awaitGone(KubernetesClient client, String namespace, String name) {
    try {
      await().atMost(OperatorHarness.TIMEOUT).until(() -> get(client, namespace, name) == null);
    } catch (ConditionTimeoutException e) {
      OrderedRelease last = get(client, namespace, name);
      throw new AssertionError(
          "the teardown never finished; status:\n"
              + (last == null ? "gone" : Serialization.asYaml(last.getStatus())),
          e);
    }
  }

  /** Parses {@code json}, e.g. for spec.values. */
  static JsonNode json(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Events about the object named {@code name}, in the order the server stored them. */
  static List<Event> events(KubernetesClient client, String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .toList();
  }
}
