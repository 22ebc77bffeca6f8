package dev.orderly.chart;

/**
 * A CustomResourceDefinition shipped in a chart's (or subchart's) {@code crds/} directory. Helm
 * installs these once and never upgrades or deletes them, so a teardown leaves them in place.
 *
 * @param name the CRD's {@code metadata.name}, e.g. {@code widgets.example.com}
 * @param sourcePath where Helm says it comes from, e.g. {@code my-chart/crds/widgets.yaml}
 * @param group {@code spec.group}, or null when the file does not say
 * @param kind {@code spec.names.kind}, or null when the file does not say
 * @param clusterScoped whether {@code spec.scope} is {@code Cluster}
 */
public record ChartCrd(
    String name, String sourcePath, String group, String kind, boolean clusterScoped) {

  /** A CRD known by name and source only. */
  public ChartCrd(String name, String sourcePath) {
    this(name, sourcePath, null, null, false);
  }
}
