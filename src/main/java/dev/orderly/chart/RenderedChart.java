package dev.orderly.chart;

import java.util.List;

/**
 * A chart rendered with every object visible: {@code objects} holds the release's plain resources
 * and its hooks (valid or not) in Helm's install order, {@code crds} the CRDs of {@code crds/}
 * directories, which Helm never deletes.
 *
 * @param name the root chart's name from {@code Chart.yaml}
 * @param version the root chart's version from {@code Chart.yaml}
 */
public record RenderedChart(
    String name, String version, List<RenderedObject> objects, List<ChartCrd> crds) {

  public RenderedChart {
    objects = List.copyOf(objects);
    crds = List.copyOf(crds);
  }

  /** The objects carrying a {@code helm.sh/hook} annotation, in rendering order. */
  public List<RenderedObject> hooks() {
    return objects.stream().filter(RenderedObject::isHook).toList();
  }

  /** The objects Helm would install as part of the release, hooks excluded. */
  public List<RenderedObject> resources() {
    return objects.stream().filter(o -> !o.isHook()).toList();
  }
}
