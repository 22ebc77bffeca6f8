package dev.orderly.chart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to render: a chart (directory or {@code .tgz}), the release name and namespace, values files
 * in precedence order (later wins), {@code --set} pairs and the Kubernetes to render for. A pair's
 * key uses Helm's path syntax ({@code a.b}, {@code list[0]}, {@code helm\.sh/hook}); helm-java
 * escapes the value, so it is taken literally: a comma does not start a list.
 */
public record RenderRequest(
    Path chart,
    String releaseName,
    String namespace,
    List<Path> valuesFiles,
    Map<String, String> setValues,
    KubeCapabilities capabilities) {

  /** Copies the collections so a request never changes after it is built. */
  public RenderRequest {
    Objects.requireNonNull(chart, "chart");
    Objects.requireNonNull(releaseName, "releaseName");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(capabilities, "capabilities");
    valuesFiles = List.copyOf(valuesFiles);
    // Map.copyOf would lose the caller's order, which keeps logs and tests deterministic.
    setValues = Collections.unmodifiableMap(new LinkedHashMap<>(setValues));
  }

  /** A request for {@link KubeCapabilities#offlineDefault()}. */
  public RenderRequest(
      Path chart,
      String releaseName,
      String namespace,
      List<Path> valuesFiles,
      Map<String, String> setValues) {
    this(chart, releaseName, namespace, valuesFiles, setValues, KubeCapabilities.offlineDefault());
  }

  /** A request without values files or {@code --set} pairs. */
  public static RenderRequest of(Path chart, String releaseName, String namespace) {
    return new RenderRequest(chart, releaseName, namespace, List.of(), Map.of());
  }

  /** This request with one more values file, applied after the ones already present. */
  public RenderRequest withValuesFile(Path valuesFile) {
    List<Path> files = new ArrayList<>(valuesFiles);
    files.add(valuesFile);
    return new RenderRequest(chart, releaseName, namespace, files, setValues, capabilities);
  }

  /** This request with one more {@code --set key=value} pair. */
  public RenderRequest withSetValue(String key, String value) {
    Map<String, String> values = new LinkedHashMap<>(setValues);
    values.put(key, value);
    return new RenderRequest(chart, releaseName, namespace, valuesFiles, values, capabilities);
  }

  /** This request pointing at another chart location, everything else unchanged. */
  public RenderRequest withChart(Path otherChart) {
    return new RenderRequest(
        otherChart, releaseName, namespace, valuesFiles, setValues, capabilities);
  }

  /** This request rendering for {@code other} Kubernetes capabilities. */
  public RenderRequest withCapabilities(KubeCapabilities other) {
    return new RenderRequest(chart, releaseName, namespace, valuesFiles, setValues, other);
  }
}
