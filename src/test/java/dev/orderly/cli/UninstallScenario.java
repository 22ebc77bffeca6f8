package dev.orderly.cli;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.orderly.reconciler.CrashPoints;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The node-agent example installed with helm-java (no OrderedRelease, no operator) on the test API
 * server, the cluster simulator acting as Kubernetes' controllers, and {@code orderly uninstall}
 * run in this JVM against it with the environment a test chooses.
 */
final class UninstallScenario implements AutoCloseable {
  static final String NS = "agents";
  static final String RELEASE = "agent";
  static final Path NODE_AGENT = Path.of("charts/examples/node-agent").toAbsolutePath();

  final TestApiServer server;
  final ClusterSimulator simulator;
  final Path kubeconfig;
  private final Path dir;

  UninstallScenario() {
    server = new TestApiServer().start();
    simulator = new ClusterSimulator(server.client(), 2).start();
    try {
      dir = Files.createTempDirectory("orderly-uninstall");
      kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  KubernetesClient client() {
    return server.client();
  }

  /** Installs the node-agent chart as Helm would, and waits for its DaemonSet's pods. */
  UninstallScenario install() {
    client()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    new Helm(NODE_AGENT)
        .install()
        .withName(RELEASE)
        .withNamespace(NS)
        .withKubeConfigContents(server.kubeconfig())
        .call();
    awaitPods("agent-agent", 2);
    return this;
  }

  /** A DaemonSet the chart's operator would make: not in the chart, labelled for the release. */
  DaemonSet operatorManagedDaemonSet(String namespace, String name, Map<String, String> labels) {
    DaemonSet daemonSet =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("agent-agent")
            .addNewContainer()
            .withName("probe")
            .withImage("registry.example.com/probe:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    DaemonSet created = client().resource(daemonSet).create();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                client().pods().inNamespace(namespace).list().getItems().stream()
                        .filter(p -> p.getMetadata().getName().startsWith(name))
                        .count()
                    == 2);
    return created;
  }

  void awaitPods(String prefix, int count) {
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                client().pods().inNamespace(NS).list().getItems().stream()
                        .filter(p -> p.getMetadata().getName().startsWith(prefix))
                        .count()
                    == count);
  }

  /** Runs {@code orderly uninstall} with {@code args}, against this server, on the real clock. */
  CliRun uninstall(String... args) {
    return uninstall(Clock.systemUTC(), null, line -> false, args);
  }

  /**
   * Runs {@code orderly uninstall} with {@code args} and {@code --kubeconfig} of this server.
   *
   * @param clock the command's clock
   * @param advancing when not null, waits move this clock on by the time asked instead of waiting
   * @param interruptWhen a line of output on which the test presses Ctrl-C
   */
  CliRun uninstall(
      Clock clock, MutableClock advancing, Predicate<String> interruptWhen, String... args) {
    List<String> withKubeconfig = new ArrayList<>(List.of(args));
    withKubeconfig.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    return run(clock, advancing, interruptWhen, withKubeconfig.toArray(String[]::new));
  }

  /** Runs {@code orderly uninstall} with {@code args} as they are, on the real clock. */
  CliRun uninstallAsGiven(String... args) {
    return run(Clock.systemUTC(), null, line -> false, args);
  }

  /**
   * Runs {@code orderly uninstall} with {@code args} outside any scenario, on the real clock and
   * without taking SIGINT from the test's JVM.
   */
  static CliRun detached(String... args) {
    UninstallCommand.Environment environment =
        new UninstallCommand.Environment(
            Map.of(),
            Clock.systemUTC(),
            UninstallCommand.WatchWakeUps::open,
            new UninstallCommand.Interruption(),
            CrashPoints.none());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          Main.execute(
              args,
              new java.io.ByteArrayInputStream(new byte[0]),
              outStream,
              errStream,
              () -> environment);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private CliRun run(
      Clock clock, MutableClock advancing, Predicate<String> interruptWhen, String... args) {
    UninstallCommand.Interruption interruption = new UninstallCommand.Interruption();
    UninstallCommand.WakeUps wakeUps =
        advancing == null
            ? UninstallCommand.WatchWakeUps::open
            : (client, namespace) -> new AdvancingWaiter(advancing);
    UninstallCommand.Environment environment =
        new UninstallCommand.Environment(
            Map.of("HOME", dir.toString()), clock, wakeUps, interruption, CrashPoints.none());
    List<String> line = new ArrayList<>(List.of("uninstall"));
    line.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream =
            new PrintStream(
                new Watching(out, interruptWhen, interruption), true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          Main.execute(
              line.toArray(String[]::new),
              new java.io.ByteArrayInputStream(new byte[0]),
              outStream,
              errStream,
              () -> environment);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The requests that changed something (anything but GET and watches). */
  List<ApiRequest> writes() {
    return server.requests().stream().filter(r -> !r.method().equals("GET")).toList();
  }

  /** How many times a Job named {@code name} was created. */
  long jobsCreated(String name) {
    return server.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().contains("/jobs"))
        .filter(r -> r.body().contains("\"name\":\"" + name + "\""))
        .count();
  }

  boolean ledgerExists() {
    return client().secrets().inNamespace(NS).withName(RELEASE + ".orderly-uninstall").get()
        != null;
  }

  @Override
  public void close() {
    simulator.close();
    server.close();
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  /** Time passes at once: each wait moves the clock on by what was asked. */
  private record AdvancingWaiter(MutableClock clock) implements UninstallCommand.Waiter {
    @Override
    public void await(Duration atMost) {
      clock.advance(atMost);
    }

    @Override
    public void wake() {}

    @Override
    public void close() {}
  }

  /** Passes output on, pressing Ctrl-C once a line matches. */
  private static final class Watching extends OutputStream {
    private final OutputStream out;
    private final Predicate<String> when;
    private final UninstallCommand.Interruption interruption;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    Watching(OutputStream out, Predicate<String> when, UninstallCommand.Interruption interruption) {
      this.out = out;
      this.when = when;
      this.interruption = interruption;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (!interruption.requested() && when.test(text)) {
        interruption.request();
      }
    }
  }
}
