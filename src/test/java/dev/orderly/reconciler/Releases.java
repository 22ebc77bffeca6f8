package dev.orderly.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;

/** Builds OrderedRelease objects for tests. */
final class Releases {
  static final Path NODE_AGENT = Path.of("charts/examples/node-agent").toAbsolutePath();

  private Releases() {}

  static OrderedRelease ofChart(String namespace, String name, Path chart) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath(chart.toString()));
    release.setSpec(spec);
    return release;
  }

  static JsonNode json(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
