package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.metrics.MetricsRegistry;
import dev.orderly.metrics.OperatorEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OperatorEndpoints} asks its checks on every probe and serves the registry's text. */
class OperatorEndpointsTest {
  private final MetricsRegistry registry = new MetricsRegistry();
  private final AtomicBoolean live = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OperatorEndpoints endpoints;

  @BeforeEach
  void start() throws IOException {
    endpoints = OperatorEndpoints.start(0, registry, live::get, ready::get);
  }

  @AfterEach
  void stop() {
    endpoints.close();
  }

  @Test
  void readinessIs503UntilTheOperatorIsReadyAnd503AgainWhenItIsNot() {
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(get("/readyz").body()).isEqualTo("not ok\n");

    ready.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").body()).isEqualTo("ok\n");

    ready.set(false);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void livenessIs503OnceAnInformerStoppedAndReadinessDoesNotAffectIt() {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);

    live.set(false);
    assertThat(get("/healthz").statusCode()).isEqualTo(503);
    assertThat(get("/healthz").body()).isEqualTo("not ok\n");
  }

  @Test
  void metricsServeTheRegistryAsPrometheusText() {
    registry.increment("orderly_test_total", "A test counter.");

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
    assertThat(response.body()).isEqualTo(registry.scrape()).contains("orderly_test_total 1\n");
  }

  @Test
  void anUnknownPathIs404() {
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during GET " + path, e);
    }
  }
}
