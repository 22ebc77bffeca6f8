package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code orderly uninstall}, the built jar in its own JVM, on a real control plane: the node-agent
 * example installed with helm-java (no OrderedRelease) comes down in the operator's phase order,
 * every DaemonSet pod authorised until it is gone and the operator-made DaemonSet removed; killed
 * in the DaemonSets phase (SIGKILL) or stopped with SIGINT, the same command run again finishes
 * without running the pre-delete hook a second time. The command runs as the operator chart's
 * ServiceAccount, so the audit log tells its requests from the test's.
 */
@RequiresControlPlane
class UninstallCommandE2E extends RealClusterTest {
  private static final String INSTANCE = "app.kubernetes.io/instance";

  @Test
  void killedInTheDaemonSetsPhaseTheSameCommandFinishesWithoutRunningTheHookAgain() {
    String ns = namespace("e2e-uninstall");
    String release = "agent-cli";
    // Long enough for the kill to land while the DaemonSet pods are terminating.
    nodes.preStop(pod -> Duration.ofSeconds(6));
    nodes.endingJobPods(pod -> new NodeStandIn.JobPodEnd(true, Duration.ofSeconds(2)));
    install(ns, release);
    Instant started = Instant.now();

    Uninstall first = new Uninstall("first", release, ns).start();
    first.awaitOutput(line -> line.matches(".*\\b[1-9][0-9]* pods? still terminating.*"));
    first.kill();
    assertThat(first.output())
        .contains("phase 1/10 PreDeleteHooks: started")
        .contains("phase 1/10 PreDeleteHooks: finished in ")
        .contains("phase 4/10 DaemonSets: started")
        .doesNotContain("phase 4/10 DaemonSets: finished");
    assertThat(admin.secrets().inNamespace(ns).withName(release + ".orderly-uninstall").get())
        .as("the ledger keeps the progress")
        .isNotNull();

    Uninstall second = new Uninstall("second", release, ns).start();
    assertThat(second.awaitExit(Duration.ofMinutes(3))).as(second.output()).isZero();
    assertThat(second.output())
        .contains("resuming the uninstall of release " + release)
        .containsSubsequence(
            "phase 4/10 DaemonSets: started",
            "phase 4/10 DaemonSets: finished in ",
            "phase 5/10 Workloads: started",
            "phase 5/10 Workloads: finished in ",
            "phase 6/10 ConfigAndNetwork: started",
            "phase 7/10 Rbac: started",
            "phase 8/10 Release: started",
            "phase 9/10 PostDeleteHooks: started",
            "phase 10/10 Namespaces: started",
            "phase 10/10 Namespaces: finished in ",
            "release " + release + " uninstalled in ")
        .doesNotContain("PreDeleteHooks");

    List<Entry> audit = plane.audit().since(started);
    List<Entry> byCommand =
        audit.stream()
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER) && e.succeeded())
            .filter(e -> ns.equals(e.namespace()) || e.namespace().isEmpty())
            .toList();
    assertThat(
            byCommand.stream()
                .filter(e -> e.verb().equals("create") && e.resource().equals("jobs")))
        .as("the pre-delete hook was created once, over both runs")
        .hasSize(1);
    assertPodsKeptTheirRbacAndNothingIsLeft(ns, release, audit, byCommand);
  }

  @Test
  void ctrlCStopsWith130AndPrintsTheCommandThatResumes() {
    String ns = namespace("e2e-uninstall-int");
    String release = "agent-int";
    nodes.preStop(pod -> Duration.ofSeconds(4));
    nodes.endingJobPods(pod -> new NodeStandIn.JobPodEnd(true, Duration.ofSeconds(1)));
    install(ns, release);

    Uninstall first = new Uninstall("interrupted", release, ns).start();
    first.awaitOutput(line -> line.contains("phase 4/10 DaemonSets: started"));
    first.signal("INT");
    assertThat(first.awaitExit(Duration.ofSeconds(60))).as(first.output()).isEqualTo(130);
    assertThat(first.output())
        .contains("interrupted in phase ")
        .contains("To resume: orderly uninstall " + release + " -n " + ns + " --kubeconfig ");

    Uninstall second = new Uninstall("resumed", release, ns).start();
    assertThat(second.awaitExit(Duration.ofMinutes(3))).as(second.output()).isZero();
    assertThat(admin.apps().daemonSets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.secrets().inNamespace(ns).list().getItems())
        .filteredOn(s -> String.valueOf(s.getType()).matches("(helm.sh|orderly.dev)/.*"))
        .isEmpty();
  }

  /** The node-agent example installed as Helm does, and a DaemonSet "its operator" made. */
  private void install(String ns, String release) {
    nodes.probing(
        pod ->
            Optional.of(
                asPod -> asPod.nodes().list(new ListOptionsBuilder().withLimit(1L).build())));
    new Helm(CHARTS.resolve("node-agent"))
        .install()
        .withName(release)
        .withNamespace(ns)
        .withKubeConfig(ControlPlane.kubeconfig().orElseThrow())
        .call();
    admin
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName(release + "-operator-made")
                .addToLabels(INSTANCE, release)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "operator-made")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "operator-made")
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(release + "-agent")
                .addNewContainer()
                .withName("agent")
                .withImage("registry.example.com/operator-made:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    awaitRunningPods(ns, INSTANCE, release, 3);
    awaitRunningPods(ns, "app", "operator-made", 2);
  }

  private void assertPodsKeptTheirRbacAndNothingIsLeft(
      String ns, String release, List<Entry> audit, List<Entry> byCommand) {
    List<NodeStandIn.ProbeResult> probes =
        nodes.probes().stream().filter(p -> p.namespace().equals(ns)).toList();
    assertThat(probes.stream().filter(p -> p.owner().equals("DaemonSet")))
        .as("a preStop probe for each of the 4 DaemonSet pods")
        .hasSize(4);
    assertThat(probes)
        .as("every pod was authorised at preStop")
        .allMatch(NodeStandIn.ProbeResult::authorised);
    Instant lastPodGone =
        audit.stream()
            .filter(e -> e.isDelete() && e.resource().equals("pods") && ns.equals(e.namespace()))
            .filter(e -> e.userAgent().startsWith(NodeStandIn.USER_AGENT) && e.succeeded())
            .map(Entry::completedAt)
            .max(Instant::compareTo)
            .orElseThrow();
    List<Entry> rbacDeletes = byCommand.stream().filter(e -> e.isDelete() && e.isRbac()).toList();
    assertThat(rbacDeletes)
        .extracting(Entry::resource)
        .contains("serviceaccounts", "clusterroles", "clusterrolebindings");
    assertThat(rbacDeletes)
        .as("every RBAC delete after the last pod was gone (%s)", lastPodGone)
        .allMatch(e -> e.completedAt().isAfter(lastPodGone));
    assertThat(
            byCommand.stream()
                .filter(e -> e.isDelete() && e.resource().equals("daemonsets"))
                .map(Entry::name))
        .contains(release + "-agent", release + "-operator-made");

    assertThat(admin.apps().daemonSets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.pods().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.configMaps().inNamespace(ns).withLabel(INSTANCE, release).list().getItems())
        .isEmpty();
    assertThat(admin.serviceAccounts().inNamespace(ns).withName(release + "-agent").get()).isNull();
    assertThat(admin.rbac().clusterRoles().withName(release + "-agent").get()).isNull();
    assertThat(admin.rbac().clusterRoleBindings().withName(release + "-agent").get()).isNull();
    assertThat(admin.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems())
        .as("Helm's record")
        .isEmpty();
    assertThat(admin.secrets().inNamespace(ns).withName(release + ".orderly-uninstall").get())
        .as("the ledger")
        .isNull();
  }

  /** One {@code java -jar orderly.jar uninstall} process, its output in a file. */
  private final class Uninstall {
    private final String name;
    private final String release;
    private final String ns;
    private final Path log;
    private Process process;

    Uninstall(String name, String release, String ns) {
      this.name = name;
      this.release = release;
      this.ns = ns;
      this.log = work.resolve("uninstall-" + ns + "-" + name + ".log");
    }

    Uninstall start() {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-jar");
      command.add(OperatorProcess.builtJar().toString());
      command.addAll(
          List.of(
              "uninstall",
              release,
              "-n",
              ns,
              "--kubeconfig",
              operatorKubeconfig.toString(),
              "--hook-timeout",
              "2m"));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("HOME", work.toString());
      builder.environment().remove("KUBECONFIG");
      builder.redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      try {
        Files.createDirectories(work);
        process = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    String output() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void awaitOutput(java.util.function.Predicate<String> line) {
      Awaitility.await(name + " prints the line awaited; output so far:\n" + output())
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> output().lines().anyMatch(line) || !process.isAlive());
      assertThat(process.isAlive()).as("still running; output:\n" + output()).isTrue();
    }

    void kill() {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(30));
    }

    void signal(String signal) {
      try {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
            .inheritIO()
            .start()
            .waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    int awaitExit(Duration atMost) {
      try {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(name + " did not end in " + atMost + "; output:\n" + output());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return process.exitValue();
    }
  }
}
