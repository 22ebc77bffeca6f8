package dev.orderly.e2e;

import dev.orderly.reconciler.CrashPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * {@code orderly run} as a user runs it: the built jar in its own JVM, with its own kubeconfig. The
 * test can stop it gracefully (SIGTERM) or kill it (SIGKILL) at any instant, and start it again.
 */
final class OperatorProcess implements AutoCloseable {
  private final Path jar;
  private final Path kubeconfig;
  private final Path workDir;
  private final String name;
  private final List<String> extraArgs;
  private boolean leaderElection;
  private List<String> jvmArgs = List.of("-Xmx512m");
  private Process process;
  private int metricsPort;
  private int starts;

  OperatorProcess(Path jar, Path kubeconfig, Path workDir, String name, List<String> extraArgs) {
    this.jar = jar;
    this.kubeconfig = kubeconfig;
    this.workDir = workDir;
    this.name = name;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * With leader election on, as the operator chart runs it; the suite's own operator runs without,
   * so that a test never waits for a Lease.
   */
  OperatorProcess withLeaderElection() {
    leaderElection = true;
    return this;
  }

  /** With these JVM options instead of the default {@code -Xmx512m}. */
  OperatorProcess withJvmArgs(String... args) {
    jvmArgs = List.of(args);
    return this;
  }

  /** The operating system's id of the running process. */
  long pid() {
    return process.pid();
  }

  /** The jar {@code mvn package} built; the end-to-end suite runs after it. */
  static Path builtJar() {
    Path jar = Path.of("target", "orderly.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the end-to-end suite runs after `mvn package` (mvn -B verify)");
    }
    return jar;
  }

  /** Starts the operator and waits until it reports ready. */
  OperatorProcess start() {
    return start(Map.of());
  }

  /** Starts the operator with extra environment variables and waits until it reports ready. */
  OperatorProcess start(Map<String, String> environment) {
    launch(environment);
    Awaitility.await("orderly run (" + name + ") is ready; see " + log())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ready() || !process.isAlive());
    if (!process.isAlive()) {
      throw new IllegalStateException("orderly run exited at start; see " + log());
    }
    return this;
  }

  /**
   * Starts the operator with a crash point: it may halt before it ever reports ready, so this does
   * not wait; {@link #awaitExit} does.
   */
  OperatorProcess startToCrash(String crashPoint) {
    launch(Map.of(CrashPoints.ENVIRONMENT, crashPoint));
    return this;
  }

  /**
   * Starts the operator without waiting for it: a replica with leader election is ready before it
   * leads, so its tests wait for what it logs instead.
   */
  OperatorProcess launch() {
    launch(Map.of());
    return this;
  }

  /** Starts it again if it is not running, e.g. after a failed test left it halted. */
  void ensureRunning() {
    if (process == null || !process.isAlive()) {
      start();
    }
  }

  private void launch(Map<String, String> environment) {
    try {
      Files.createDirectories(workDir.resolve("tmp"));
      metricsPort = freePort();
      starts++;
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmArgs);
      command.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
      command.add("-jar");
      command.add(jar.toString());
      command.add("run");
      command.add("--kubeconfig=" + kubeconfig);
      command.add("--leader-election=" + leaderElection);
      command.add("--metrics-port=" + metricsPort);
      command.add("--work-dir=" + workDir.resolve("charts"));
      // The charts the tests install are the repository's, not the image's.
      command.add(
          "--allowed-chart-paths="
              + RealClusterTest.CHARTS
              + ","
              + Path.of("src", "test", "resources", "charts").toAbsolutePath());
      command.addAll(extraArgs);
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("KUBECACHEDIR", workDir.resolve("kube-cache").toString());
      builder.environment().put("HOME", workDir.toString());
      builder.environment().remove("KUBECONFIG");
      builder.environment().putAll(environment);
      builder.redirectErrorStream(true);
      builder.redirectOutput(
          ProcessBuilder.Redirect.appendTo(workDir.resolve(name + ".log").toFile()));
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path log() {
    return workDir.resolve(name + ".log");
  }

  /** Waits for the first line of this start's log that matches, failing if the process ends. */
  String awaitLogLine(Predicate<String> line, Duration atMost) {
    return Awaitility.await("a line in " + log())
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Optional<String> found = logLines().stream().filter(line).findFirst();
              if (found.isEmpty() && !process.isAlive()) {
                throw new AssertionError("orderly run exited early; see " + log());
              }
              return found;
            },
            Optional::isPresent)
        .orElseThrow();
  }

  /** The log of every start of this process, in order. */
  List<String> logLines() {
    try {
      return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM without waiting: the test times the exit with {@link #awaitExit}. */
  void terminate() {
    process.destroy();
  }

  int starts() {
    return starts;
  }

  /** Waits until the process ends by itself (a crash point halts it); answers its exit code. */
  int awaitExit(Duration atMost) {
    try {
      if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("orderly run did not exit within " + atMost + "; see " + log());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is saved that was not saved already. */
  void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM, as Kubernetes stops a pod. */
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The Prometheus text of its metrics endpoint, or "" when it does not answer. */
  String metrics() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      try (var in = connection.getInputStream()) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return "";
    }
  }

  private boolean ready() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + metricsPort + "/readyz").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(1000);
      return connection.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
