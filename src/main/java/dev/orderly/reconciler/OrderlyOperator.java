package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.chart.ChartRenderer;
import dev.orderly.chart.HelmJavaTemplater;
import dev.orderly.helm.ChartResolver;
import dev.orderly.helm.HelmClient;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.StepObserver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/** Assembles and runs the operator: one controller for OrderedRelease, a Helm pool beside it. */
public final class OrderlyOperator implements AutoCloseable {
  /**
   * How to run.
   *
   * @param namespaces namespaces to watch; empty means all
   * @param helmThreads how many Helm operations may run at once
   * @param reconcileThreads JOSDK's reconciler threads; they never wait on Helm or the cluster
   * @param workDir where charts are cached and values files written
   * @param instance this replica's name, for Events
   */
  public record Settings(
      Set<String> namespaces,
      int helmThreads,
      int reconcileThreads,
      Path workDir,
      String instance,
      Clock clock) {}

  private final Operator operator;
  private final HelmOperations operations;

  private OrderlyOperator(Operator operator, HelmOperations operations) {
    this.operator = operator;
    this.operations = operations;
  }

  /** Registers the controller and starts it; returns once informers are started. */
  public static OrderlyOperator start(KubernetesClient client, HelmClient helm, Settings settings) {
    HelmOperations operations = new HelmOperations(settings.helmThreads(), settings.clock());
    ReleaseInstaller installer =
        new ReleaseInstaller(
            helm,
            new ChartResolver(settings.workDir().resolve("charts")),
            new ChartRenderer(new HelmJavaTemplater(), settings.workDir()),
            settings.workDir().resolve("values"));
    EventRecorder events = new EventRecorder(client, settings.clock(), settings.instance());
    ReleaseEventSources sources = new ReleaseEventSources();
    ClusterObjects objects = new ClusterObjects(client);
    TeardownExecutor executor =
        new TeardownExecutor(
            objects,
            new StepObserver(objects, sources),
            helm,
            operations,
            events,
            settings.clock());
    TeardownCoordinator teardown = new TeardownCoordinator(executor, events, settings.clock());
    OrderedReleaseReconciler reconciler =
        new OrderedReleaseReconciler(
            installer, operations, teardown, sources, events, settings.clock());
    Operator operator =
        new Operator(
            overrider ->
                overrider
                    .withKubernetesClient(client)
                    // Status and finalizer patches as JSON merge patches: what the tests exercise
                    // is what ships, and it needs no server-side apply support.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(settings.reconcileThreads())
                    .withCloseClientOnStop(false));
    operator.register(
        reconciler,
        config -> {
          if (settings.namespaces().isEmpty()) {
            config.watchingAllNamespaces();
          } else {
            config.settingNamespaces(settings.namespaces());
          }
        });
    operator.start();
    return new OrderlyOperator(operator, operations);
  }

  /** The name JOSDK knows the controller by. */
  public static String controllerName() {
    return OrderedRelease.class.getSimpleName().toLowerCase();
  }

  @Override
  public void close() throws InterruptedException {
    operator.stop();
    operations.close();
  }
}
