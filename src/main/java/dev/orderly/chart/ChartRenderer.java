package dev.orderly.chart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a chart (directory or {@code .tgz}) with every object visible, including hooks and
 * resources whose hook annotation Helm would silently drop, each carrying its original annotations
 * and source template. Temporary copies are deleted before {@link #render} returns.
 */
public final class ChartRenderer {

  private final ChartTemplater templater;
  private final Path workRoot;

  /** Renders with helm-java, working in {@code java.io.tmpdir}. */
  public ChartRenderer() {
    this(new HelmJavaTemplater());
  }

  /** Renders with the given templater, working in {@code java.io.tmpdir}. */
  public ChartRenderer(ChartTemplater templater) {
    this(templater, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Renders with the given templater, creating (and removing) work directories in workRoot. */
  public ChartRenderer(ChartTemplater templater, Path workRoot) {
    this.templater = templater;
    this.workRoot = workRoot;
  }

  /**
   * Renders the chart as {@code helm template} would, but with hooks kept as objects.
   *
   * @throws ChartRenderException if the chart cannot be read or Helm fails; the message then
   *     contains Helm's error
   */
  public RenderedChart render(RenderRequest request) {
    try (ChartWorkspace workspace = ChartWorkspace.create(workRoot, request.chart())) {
      Path chartDir = workspace.chartDir();
      ChartContents.ChartMetadata metadata = ChartContents.metadata(chartDir, workspace::describe);
      List<ChartCrd> crds = ChartContents.crds(chartDir, workspace::describe);
      TemplateRewriter rewriter = new TemplateRewriter(request.capabilities());
      workspace.neutralizeChart();
      workspace.rewriteTemplates(rewriter);
      RenderRequest neutral = neutralRequest(request, workspace, rewriter);
      String manifest = restore(template(neutral, request, rewriter), rewriter);
      return new RenderedChart(
          metadata.name(), metadata.version(), RenderedManifestParser.parse(manifest), crds);
    }
  }

  private String template(
      RenderRequest neutral, RenderRequest original, TemplateRewriter rewriter) {
    try {
      return templater.template(neutral);
    } catch (ChartRenderException e) {
      // Helm may quote template lines in its message; show them as the chart author wrote them.
      throw new ChartRenderException(
          "cannot render chart "
              + original.chart()
              + ": "
              + restore(String.valueOf(e.getMessage()), rewriter),
          e);
    }
  }

  private static String restore(String text, TemplateRewriter rewriter) {
    return HookKeyRewriter.restore(rewriter.restore(text));
  }

  /**
   * The request as Helm gets it: the chart copy, and values rewritten like the chart, because a
   * value may hold template code that the chart passes to {@code tpl}.
   */
  private static RenderRequest neutralRequest(
      RenderRequest request, ChartWorkspace workspace, TemplateRewriter rewriter) {
    List<Path> valuesFiles = new ArrayList<>();
    for (int i = 0; i < request.valuesFiles().size(); i++) {
      Path copy = workspace.neutralizedValuesFile(request.valuesFiles().get(i), i);
      rewriter.rewriteFile(copy);
      valuesFiles.add(copy);
    }
    Map<String, String> setValues = new LinkedHashMap<>();
    request
        .setValues()
        .forEach(
            (key, value) -> {
              if (key.contains(HookKeyRewriter.NEUTRAL_PREFIX)
                  || value.contains(HookKeyRewriter.NEUTRAL_PREFIX)) {
                throw new ChartRenderException(
                    "--set " + key + " uses the reserved prefix " + HookKeyRewriter.NEUTRAL_PREFIX);
              }
              setValues.put(
                  HookKeyRewriter.neutralizeSetKey(key),
                  rewriter.rewrite(HookKeyRewriter.neutralize(value)));
            });
    return new RenderRequest(
        workspace.chartDir(),
        request.releaseName(),
        request.namespace(),
        valuesFiles,
        setValues,
        request.capabilities());
  }
}
