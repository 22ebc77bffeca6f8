package dev.orderly.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.orderly.helm.HelmMessages;
import dev.orderly.helm.JvmSignals;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link ChartTemplater} backed by helm-java's embedded Helm ({@code helm template} without a
 * cluster) at the request's Kubernetes version; CRDs are left out because {@link ChartRenderer}
 * lists them separately. API versions and {@code lookup} are not options of helm-java's template:
 * {@link TemplateRewriter} has dealt with them in the chart before it gets here.
 */
public final class HelmJavaTemplater implements ChartTemplater {

  @Override
  public String template(RenderRequest request) {
    TemplateCommand command =
        new Helm(request.chart())
            .template()
            .withName(request.releaseName())
            .withNamespace(request.namespace())
            .withKubeVersion(request.capabilities().kubeVersion())
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
      // helm-java reports every Helm error as IllegalStateException(<Helm's message>), with advice
      // for Helm's command line (a --debug flag) that callers of Orderly do not have.
      throw new ChartRenderException(HelmMessages.withoutCliAdvice(e.getMessage()), e);
    } finally {
      // helm-java's template runs Helm's install path, which takes SIGTERM away from the JVM.
      JvmSignals.reclaim();
    }
  }
}
