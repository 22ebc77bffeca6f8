package dev.orderly.chart;

/**
 * A CustomResourceDefinition shipped in a chart's (or subchart's) {@code crds/} directory. Helm
 * installs these once and never upgrades or deletes them, so a teardown leaves them in place.
 *
 * @param name the CRD's {@code metadata.name}, e.g. {@code widgets.example.com}
 * @param sourcePath where Helm says it comes from, e.g. {@code my-chart/crds/widgets.yaml}
 */
public record ChartCrd(String name, String sourcePath) {}
