package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The example charts' values that let an end-to-end test point them at servers of its own: the
 * webhook's URL and CA bundle, the APIService's CA bundle, the own-namespace chart's Namespace.
 */
class ExampleChartValuesTest {
  private static final Path EXAMPLES = Path.of("charts/examples");

  @TempDir Path workRoot;

  @Test
  void theWebhookCallsTheChartsServiceByDefault() {
    Map<String, Object> clientConfig = webhookClientConfig(request("webhook-backend"));

    assertThat(clientConfig)
        .containsOnlyKeys("service")
        .extractingByKey("service")
        .isEqualTo(
            Map.of("name", "web-backend", "namespace", "apps", "path", "/validate", "port", 443));
  }

  @Test
  void theWebhookCallsAnOutsideUrlWithItsCaBundleWhenGiven() {
    Map<String, Object> clientConfig =
        webhookClientConfig(
            request("webhook-backend")
                .withSetValue("webhook.url", "https://127.0.0.1:8443/validate")
                .withSetValue("webhook.caBundle", "Q0EK"));

    assertThat(clientConfig)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("url", "https://127.0.0.1:8443/validate", "caBundle", "Q0EK"));
  }

  @Test
  void theBackendTakesFiveMinutesToStop() {
    RenderedObject deployment = object(request("webhook-backend"), "Deployment");

    assertThat(path(deployment.object(), "spec", "template", "spec"))
        .containsEntry("terminationGracePeriodSeconds", 300);
  }

  @Test
  void theApiServiceSkipsTlsVerificationUnlessGivenACaBundle() {
    assertThat(apiServiceSpec(request("aggregated-api")))
        .containsEntry("insecureSkipTLSVerify", true)
        .doesNotContainKey("caBundle");
    assertThat(
            apiServiceSpec(request("aggregated-api").withSetValue("apiService.caBundle", "Q0EK")))
        .containsEntry("caBundle", "Q0EK")
        .doesNotContainKey("insecureSkipTLSVerify");
  }

  @ParameterizedTest
  @CsvSource({"'', web-workspace", "team-a, team-a"})
  void theWorkspaceNamespaceIsNamedFromAValueAndHoldsEveryObjectAndHook(
      String value, String namespace) {
    List<RenderedObject> objects =
        new ChartRenderer(new HelmJavaTemplater(), workRoot)
            .render(request("own-namespace").withSetValue("namespace", value))
            .objects();

    assertThat(objects)
        .filteredOn(o -> o.kind().equals("Namespace"))
        .singleElement()
        .extracting(RenderedObject::name)
        .isEqualTo(namespace);
    assertThat(objects)
        .filteredOn(o -> !o.kind().equals("Namespace"))
        .extracting(RenderedObject::namespace)
        .hasSize(8)
        .containsOnly(namespace);
    assertThat(objects)
        .filteredOn(o -> o.kind().equals("Job"))
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.annotations()).containsEntry("helm.sh/hook", "post-delete");
              assertThat(path(job.object(), "spec", "template", "spec"))
                  .containsEntry("serviceAccountName", "web-archive");
            });
  }

  private RenderRequest request(String chart) {
    return RenderRequest.of(EXAMPLES.resolve(chart), "web", "apps");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> webhookClientConfig(RenderRequest request) {
    RenderedObject webhook = object(request, "ValidatingWebhookConfiguration");
    Map<String, Object> first =
        ((java.util.List<Map<String, Object>>) webhook.object().get("webhooks")).get(0);
    return (Map<String, Object>) first.get("clientConfig");
  }

  private Map<String, Object> apiServiceSpec(RenderRequest request) {
    return path(object(request, "APIService").object(), "spec");
  }

  private RenderedObject object(RenderRequest request, String kind) {
    return new ChartRenderer(new HelmJavaTemplater(), workRoot)
        .render(request).objects().stream()
            .filter(o -> o.kind().equals(kind))
            .findFirst()
            .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> path(Map<String, Object> object, String... keys) {
    Map<String, Object> current = object;
    for (String key : keys) {
      current = (Map<String, Object>) current.get(key);
    }
    return current;
  }
}
