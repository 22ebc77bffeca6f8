package dev.orderly.ops;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code orderly} run as its own JVM from the test class path, as a user or a pod runs it: its exit
 * status, and its standard output and error. Both go to files: a thread reading a pipe loses what
 * the process wrote last, because the JDK closes the pipe under it once the process exits.
 */
final class OrderlyProcess implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;

  private OrderlyProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code orderly <args>} with {@code env} added to this JVM's environment, writing its
   * output into {@code dir}.
   */
  static OrderlyProcess start(Path dir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // helm-java unpacks its native library into the temp dir; keep it where the build put it.
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add("dev.orderly.cli.Main");
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dir);
      Path out = dir.resolve("stdout.txt");
      Path err = dir.resolve("stderr.txt");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      return new OrderlyProcess(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGTERM, as the kubelet does to stop a pod. */
  void terminate() {
    process.destroy();
  }

  /** The exit status once the process ends within {@code timeout}; fails the test otherwise. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "orderly still runs "
                + timeout.toSeconds()
                + " s later; its log:\n"
                + errText()
                + "\nits threads:\n"
                + threadDump());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /** Waits until a line of standard error matches, and returns it. */
  String awaitLogLine(Predicate<String> line, Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Optional<String> found = errLines().stream().filter(line).findFirst();
              if (found.isEmpty() && !process.isAlive()) {
                throw new AssertionError("orderly exited early; its log:\n" + errText());
              }
              return found;
            },
            Optional::isPresent)
        .orElseThrow();
  }

  boolean alive() {
    return process.isAlive();
  }

  List<String> outLines() {
    return read(out).lines().toList();
  }

  List<String> errLines() {
    return read(err).lines().toList();
  }

  String errText() {
    return read(err);
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String read(Path file) {
    try {
      // Lenient: the process may be in the middle of writing a character.
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process's threads as jcmd prints them, to show where it hangs. */
  private String threadDump() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump =
          new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      dump.waitFor(30, TimeUnit.SECONDS);
      return text;
    } catch (IOException e) {
      return "(no thread dump: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no thread dump: interrupted)";
    }
  }
}
