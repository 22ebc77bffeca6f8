package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A chart of 2,000 objects with six hooks of about 100 KiB each, on the real control plane: the
 * teardown's status stays under its stated bound (16 KiB) at every look, while every step lives in
 * the ledger Secret, and the teardown completes. A status that held every step and hook manifest
 * would pass a megabyte here.
 */
@RequiresControlPlane
class LargeChartE2E extends RealClusterTest {
  private static final Path CHART =
      Path.of("src", "test", "resources", "charts", "large-teardown").toAbsolutePath();
  private static final int TEARDOWN_STATUS_BOUND = 16 * 1024;

  @Test
  void statusStaysBoundedThroughTheTeardownOfTwoThousandObjects() {
    String ns = namespace("e2e-large");
    ObjectNode values = new ObjectMapper().createObjectNode();
    // The control plane's Service range is small: fewer Services, as many objects in all.
    values.put("services", 50);
    values.put("configMaps", 740);
    release(
        ns,
        "big",
        "node-agent",
        r -> {
          r.getSpec().setChart(ChartSource.fromPath(CHART.toString()));
          r.getSpec().setValues(values);
          r.getSpec().getInstall().setTimeout("5m");
        });
    Awaitility.await("the 2,000-object release is Ready; operator log: " + operator.log())
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> condition(ns, "big").equals("True") || stalled(ns, "big"));
    assertThat(condition(ns, "big")).as(message(ns, "big", "Stalled")).isEqualTo("True");
    assertThat(admin.configMaps().inNamespace(ns).list().getItems().size()).isGreaterThan(740);

    releases().inNamespace(ns).withName("big").delete();
    List<Integer> teardownSizes = new ArrayList<>();
    Awaitility.await("the teardown completes; operator log: " + operator.log())
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              OrderedRelease current = releases().inNamespace(ns).withName("big").get();
              if (current == null) {
                return true;
              }
              TeardownStatus teardown = current.getStatus().getTeardown();
              if (teardown != null) {
                teardownSizes.add(
                    Serialization.asJson(teardown).getBytes(StandardCharsets.UTF_8).length);
              }
              return false;
            });
    assertThat(teardownSizes).as("status.teardown was seen while it ran").isNotEmpty();
    assertThat(teardownSizes)
        .allSatisfy(size -> assertThat(size).isLessThan(TEARDOWN_STATUS_BOUND));
    // Left: the namespace's root CA, and the hooks, which have no delete policy and so stay, as
    // Helm leaves them.
    assertThat(admin.configMaps().inNamespace(ns).list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .allMatch(
            n ->
                n.equals("kube-root-ca.crt")
                    || n.startsWith("big-pre-delete-")
                    || n.startsWith("big-post-delete-"));
    assertThat(admin.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems())
        .isEmpty();
  }

  private String condition(String ns, String name) {
    return condition(ns, name, "Ready");
  }
}
