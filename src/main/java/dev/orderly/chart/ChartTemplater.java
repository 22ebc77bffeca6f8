package dev.orderly.chart;

/**
 * Runs Helm's template engine on an unpacked chart directory and returns the release manifest: the
 * multi-document YAML with one {@code # Source: <chart>/templates/<file>} comment per document.
 * Implementations throw {@link ChartRenderException} carrying Helm's own message when rendering
 * fails.
 */
@FunctionalInterface
public interface ChartTemplater {

  /** Renders {@code request.chart()}, which is always a chart directory at this point. */
  String template(RenderRequest request);
}
