package dev.orderly.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Charts and objects the test API server tests share. */
final class TestResources {

  private TestResources() {}

  /** A namespaced CRD with a status subresource, as a chart's {@code crds/} folder holds it. */
  static CustomResourceDefinition widgetCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.test.orderly.dev")
        .endMetadata()
        .withNewSpec()
        .withGroup("test.orderly.dev")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Widget")
        .withPlural("widgets")
        .withSingular("widget")
        .withListKind("WidgetList")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
        .endVersion()
        .endSpec()
        .build();
  }

  /** The chart folder {@code src/test/resources/charts/<name>}. */
  static Path chart(String name) {
    URL url = TestApiServerTest.class.getResource("/charts/" + name);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
