package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.TeardownPhase;
import dev.orderly.helm.HelmJavaClient;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** keep, custom resources, disableHooks, keepHistory, recreated DaemonSets and missing records. */
class TeardownOptionsIntegrationTest {
  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.completeJobsAutomatically(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void customResourcesGoWhileTheirControllerRunsAndKeptObjectsAndCrdsStay() {
    scenario.installChart(Path.of("charts/examples/keep-and-crds").toAbsolutePath(), r -> {});
    var widgets =
        scenario
            .harness
            .client()
            .genericKubernetesResources("example.com/v1", "Widget")
            .inNamespace(NS);
    GenericKubernetesResource widget = widgets.withName("agent-default").get();
    scenario.hold(widget); // the Widget's controller has a finalizer on it
    scenario.simulator.terminatePodsAtOnce(true);

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.CustomResources));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                widgets.withName("agent-default").get().getMetadata().getDeletionTimestamp()
                    != null);
    assertThat(scenario.exists("Deployment", "agent-controller"))
        .as("its controller still runs")
        .isTrue();

    scenario.release(widget);
    scenario.awaitGone();

    var client = scenario.harness.client();
    assertThat(widgets.withName("agent-default").get()).isNull();
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("agent-data").get())
        .as("helm.sh/resource-policy: keep")
        .isNotNull();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("widgets.example.com")
                .get())
        .as("a CRD from crds/ is never deleted")
        .isNotNull();
    assertThat(scenario.exists("ConfigMap", "agent-settings")).isFalse();
  }

  @Test
  void disableHooksRunsNoHook() {
    scenario.install(r -> r.getSpec().getUninstall().setDisableHooks(true));
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.delete();
    scenario.awaitGone();
    assertThat(scenario.requests())
        .noneMatch(r -> r.method().equals("POST") && r.path().contains("/jobs"));
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isFalse();
  }

  @Test
  void keepHistoryLeavesHelmsRecordMarkedUninstalled() {
    scenario.install(r -> r.getSpec().getUninstall().setKeepHistory(true));
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.delete();
    scenario.awaitGone();
    var record =
        scenario
            .harness
            .client()
            .secrets()
            .inNamespace(NS)
            .withName("sh.helm.release.v1.agent.v1")
            .get();
    assertThat(record).isNotNull();
    assertThat(record.getMetadata().getLabels()).containsEntry("status", "uninstalled");
    assertThat(new HelmJavaClient(scenario.harness.server().kubeconfig()).status(NAME, NS))
        .as("Helm itself reads the rewritten record")
        .hasValueSatisfying(
            info -> {
              assertThat(info.status()).isEqualTo("uninstalled");
              assertThat(info.revision()).isEqualTo(1);
            });
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isFalse();
  }

  @Test
  void aDaemonSetRecreatedByTheChartsOperatorIsReportedAndDeletedAgain() {
    scenario.install(r -> {});
    DaemonSet extra = scenario.operatorManagedDaemonSet("agent-extra");
    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.DaemonSets));
    scenario.awaitPods("agent-extra", 2);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                scenario
                        .harness
                        .client()
                        .apps()
                        .daemonSets()
                        .inNamespace(NS)
                        .withName("agent-extra")
                        .get()
                        .getMetadata()
                        .getDeletionTimestamp()
                    != null);

    // The first one goes; the chart's operator creates it again, with a new UID.
    scenario.simulator.finishTerminating(
        pod -> pod.getMetadata().getName().startsWith("agent-extra"));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> !scenario.exists("DaemonSet", "agent-extra"));
    extra.getMetadata().setUid(null);
    extra.getMetadata().setResourceVersion(null);
    DaemonSet recreated = scenario.harness.client().resource(extra).create();

    scenario.awaitRelease(r -> scenario.eventReasons().contains("ObjectRecreated"));
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.awaitGone();

    assertThat(scenario.harness.events(NS, NAME))
        .filteredOn(e -> "ObjectRecreated".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .contains("DaemonSet agents/agent-extra")
                  .contains(recreated.getMetadata().getUid());
            });
    assertThat(scenario.exists("DaemonSet", "agent-extra")).isFalse();
  }

  @Test
  void aReleaseWhoseRecordIsGoneIsTornDownFromWhatIsKnown() {
    scenario.install(r -> {});
    scenario.harness.client().secrets().inNamespace(NS).withLabel("owner", "helm").delete();
    scenario.simulator.terminatePodsAtOnce(true);

    scenario.delete();
    scenario.awaitGone();

    assertThat(scenario.eventReasons()).contains("ReleaseRecordMissing");
    assertThat(scenario.exists("DaemonSet", "agent-agent"))
        .as("found by its app.kubernetes.io/instance label and deleted")
        .isFalse();
    assertThat(scenario.exists("ConfigMap", "agent-config"))
        .as("nothing outside what is known is touched")
        .isTrue();
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isTrue();
  }

  @Test
  void aReleaseThatNeverInstalledIsReleasedAtOnce() {
    var release = Releases.ofChart(NS, NAME, Path.of("/charts/not-there"));
    scenario.harness.create(release);
    scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "ChartNotFound"));

    scenario.delete();
    scenario.awaitGone();
    assertThat(scenario.requests())
        .noneMatch(r -> r.method().equals("DELETE") && !r.path().contains("/orderedreleases/"));
    // No record and no install recorded: nothing of its own, so no teardown at all; objects
    // that merely carry the release name belong to someone else.
    assertThat(scenario.harness.events(NS, NAME))
        .extracting(Event::getReason)
        .contains("NothingToTearDown")
        .doesNotContain("TeardownPhaseStarted");
  }
}
