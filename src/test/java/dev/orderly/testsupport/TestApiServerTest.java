package dev.orderly.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real helm-java (client-go) installs, upgrades, reports and uninstalls against the server. */
// helm-java blocks in native code, which no interrupt stops: time out from another thread.
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TestApiServerTest {

  private static final String NS = "samples";

  private final TestApiServer server = new TestApiServer().start();
  private final KubernetesClient client = server.client();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void installCreatesTheChartObjectsThePostInstallHookAndTheReleaseSecret() {
    Release release = install();

    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(release.getRevision()).isEqualTo("1");
    assertThat(client.namespaces().withName(NS).get()).isNotNull();
    assertThat(client.configMaps().inNamespace(NS).withName("sample-config").get().getData())
        .containsEntry("greeting", "hello");
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("sample-ds").get()).isNotNull();
    assertThat(client.configMaps().inNamespace(NS).withName("sample-post-delete-marker").get())
        .isNotNull();
    assertThat(releaseSecret(1).getMetadata().getLabels())
        .containsAllEntriesOf(
            Map.of("owner", "helm", "name", "sample", "status", "deployed", "version", "1"));
    assertThat(releaseSecret(1).getType()).isEqualTo("helm.sh/release.v1");

    Release status =
        Helm.status("sample").withNamespace(NS).withKubeConfigContents(server.kubeconfig()).call();
    assertThat(status.getStatus()).isEqualTo("deployed");
    assertThat(status.getRevision()).isEqualTo("1");
  }

  @Test
  void clientGoAsksForAggregatedDiscoveryAndAcceptsTheLegacyDocuments() {
    install();

    assertThat(server.requests())
        .filteredOn(r -> r.path().startsWith("/apis?") || r.path().equals("/apis"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.accept()).contains("as=APIGroupDiscoveryList"));
  }

  @Test
  void upgradeWritesRevisionTwoAndPatchesTheConfigMap() {
    install();

    Release upgraded =
        new Helm(TestResources.chart("hooks-sample"))
            .upgrade()
            .withName("sample")
            .withNamespace(NS)
            .set("greeting", "bye")
            .withKubeConfigContents(server.kubeconfig())
            .call();

    assertThat(upgraded.getRevision()).isEqualTo("2");
    assertThat(upgraded.getStatus()).isEqualTo("deployed");
    assertThat(client.configMaps().inNamespace(NS).withName("sample-config").get().getData())
        .containsEntry("greeting", "bye");
    assertThat(releaseSecret(2).getMetadata().getLabels()).containsEntry("status", "deployed");
    assertThat(releaseSecret(1).getMetadata().getLabels()).containsEntry("status", "superseded");
    assertThat(server.requests())
        .anySatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("PATCH");
              assertThat(r.contentType()).isEqualTo("application/strategic-merge-patch+json");
            });
  }

  @Test
  void upgradeChangingOneContainerImageKeepsTheRestOfThePodTemplate() {
    new Helm(TestResources.chart("daemonset-image"))
        .install()
        .withName("node")
        .withNamespace(NS)
        .createNamespace()
        .withKubeConfigContents(server.kubeconfig())
        .call();

    new Helm(TestResources.chart("daemonset-image"))
        .upgrade()
        .withName("node")
        .withNamespace(NS)
        .set("image", "example.invalid/agent:2")
        .withKubeConfigContents(server.kubeconfig())
        .call();

    List<Container> containers =
        client
            .apps()
            .daemonSets()
            .inNamespace(NS)
            .withName("node-agent")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("agent", "sidecar");
    assertThat(containers.get(0).getImage()).isEqualTo("example.invalid/agent:2");
    assertThat(containers.get(0).getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(9100);
    assertThat(containers.get(0).getEnv()).extracting(EnvVar::getName).containsExactly("LOG_LEVEL");
  }

  @Test
  void uninstallWithoutHooksRemovesTheChartObjectsAndTheReleaseSecrets() {
    install();

    Helm.uninstall("sample")
        .withNamespace(NS)
        .noHooks()
        .withKubeConfigContents(server.kubeconfig())
        .call();

    assertThat(client.configMaps().inNamespace(NS).withName("sample-config").get()).isNull();
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("sample-ds").get()).isNull();
    assertThat(client.secrets().inNamespace(NS).withLabel("owner", "helm").list().getItems())
        .isEmpty();
  }

  @Test
  void helmInstallsAnInstanceOfACrdCreatedAfterItsDiscoveryWasCached() {
    install(); // fills client-go's discovery cache before the CRD exists
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(TestResources.widgetCrd())
        .create();

    Release release =
        new Helm(TestResources.chart("widget-instance"))
            .install()
            .withName("gear")
            .withNamespace(NS)
            .withKubeConfigContents(server.kubeconfig())
            .call();

    assertThat(release.getStatus()).isEqualTo("deployed");
    GenericKubernetesResource widget =
        client
            .genericKubernetesResources("test.orderly.dev/v1", "Widget")
            .inNamespace(NS)
            .withName("gear-widget")
            .get();
    assertThat(widget.getAdditionalProperties()).containsEntry("spec", Map.of("size", 3));
  }

  @Test
  void helmInstallsTheCrdFromTheChartsCrdsFolderAndThenItsInstance() {
    Release release =
        new Helm(TestResources.chart("widget-with-crd"))
            .install()
            .withName("gear")
            .withNamespace(NS)
            .createNamespace()
            .withKubeConfigContents(server.kubeconfig())
            .call();

    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("widgets.test.orderly.dev")
                .get())
        .isNotNull();
    assertThat(
            client
                .genericKubernetesResources("test.orderly.dev/v1", "Widget")
                .inNamespace(NS)
                .withName("gear-widget")
                .get())
        .isNotNull();
  }

  /**
   * client-go's watch gets 405, so Helm's wait on a hook Job falls back to relisting with backoff:
   * it still ends once something (here a fake Job controller) completes the Job.
   */
  @Test
  void uninstallWithHooksWaitsForThePreDeleteJobThatAFakeControllerCompletes() {
    install();
    var jobs = client.batch().v1().jobs().inNamespace(NS);

    SharedIndexInformer<Job> jobController = jobs.inform(completeOnAdd(jobs));
    try {
      Helm.uninstall("sample").withNamespace(NS).withKubeConfigContents(server.kubeconfig()).call();
    } finally {
      jobController.close();
    }

    assertThat(client.configMaps().inNamespace(NS).withName("sample-config").get()).isNull();
    assertThat(jobs.withName("sample-pre-delete").get()).as("hook-succeeded deletes it").isNull();
    assertThat(client.serviceAccounts().inNamespace(NS).withName("sample-hook").get()).isNotNull();
    assertThat(server.requests())
        .as("Helm tried a client-go watch on its hook Job")
        .anySatisfy(
            r ->
                assertThat(r.path())
                    .contains("fieldSelector=metadata.name%3Dsample-pre-delete")
                    .contains("watch=true"));
  }

  private static ResourceEventHandler<Job> completeOnAdd(
      NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        jobs.withName(job.getMetadata().getName())
            .editStatus(
                j ->
                    new JobBuilder(j)
                        .withNewStatus()
                        .withSucceeded(1)
                        .addNewCondition()
                        .withType("Complete")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build());
      }

      @Override
      public void onUpdate(Job oldJob, Job newJob) {}

      @Override
      public void onDelete(Job job, boolean deletedFinalStateUnknown) {}
    };
  }

  private Release install() {
    return new Helm(TestResources.chart("hooks-sample"))
        .install()
        .withName("sample")
        .withNamespace(NS)
        .createNamespace()
        .withKubeConfigContents(server.kubeconfig())
        .call();
  }

  private Secret releaseSecret(int revision) {
    return client
        .secrets()
        .inNamespace(NS)
        .withName("sh.helm.release.v1.sample.v" + revision)
        .get();
  }
}
