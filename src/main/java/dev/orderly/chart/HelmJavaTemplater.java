package dev.orderly.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.orderly.helm.JvmSignals;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link ChartTemplater} backed by helm-java's embedded Helm ({@code helm template} without a
 * cluster); CRDs are left out because {@link ChartRenderer} lists them separately.
 */
public final class HelmJavaTemplater implements ChartTemplater {

  @Override
  public String template(RenderRequest request) {
    TemplateCommand command =
        new Helm(request.chart())
            .template()
            .withName(request.releaseName())
            .withNamespace(request.namespace())
            .skipCrds();
    for (Path valuesFile : request.valuesFiles()) {
      command = command.withValuesFile(valuesFile);
    }
    for (Map.Entry<String, String> value : request.setValues().entrySet()) {
      command = command.set(value.getKey(), value.getValue());
    }
    try {
      return command.call();
    } catch (IllegalStateException e) {
      // helm-java reports every Helm error as IllegalStateException(<Helm's message>).
      throw new ChartRenderException(e.getMessage(), e);
    } finally {
      // helm-java's template runs Helm's install path, which takes SIGTERM away from the JVM.
      JvmSignals.reclaim();
    }
  }
}
