package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.OciRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orderly plan oci://...} pulls the chart from a real registry with basic auth. */
class PlanFromOciRegistryTest {
  private static final Path NODE_AGENT = Path.of("charts/examples/node-agent");

  @TempDir static Path registryDir;
  private static OciRegistry registry;
  private static String digest;

  @BeforeAll
  static void startRegistry() {
    registry = OciRegistry.startWithBasicAuth(registryDir);
    digest = registry.pushChart(NODE_AGENT.toAbsolutePath(), "node-agent", "0.1.0");
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void plansThePulledChartAsTheLocalOneNamingTheArtifact() {
    CliRun run =
        run(
            OciRegistry.PASSWORD + "\n",
            "plan",
            chart(),
            "--version",
            "^0.1",
            "--plain-http",
            "--username",
            OciRegistry.USERNAME,
            "--password-stdin");

    CliRun local = CliRun.of("plan", NODE_AGENT.toString());
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(local.exitCode());
    assertThat(run.out())
        .contains("Chart:     node-agent 0.1.0 (" + chart() + "@" + digest + ")")
        .isEqualTo(local.out().replace(NODE_AGENT.toString(), chart() + "@" + digest));
  }

  @Test
  void aRegistryConfigFileGivesTheCredentialsAndADigestPinsTheArtifact(@TempDir Path home)
      throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (OciRegistry.USERNAME + ":" + OciRegistry.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
    Path config = home.resolve("config.json");
    Files.writeString(
        config, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");

    CliRun run =
        run(
            "",
            "plan",
            chart(),
            "--version=0.1.0",
            "--digest",
            digest,
            "--plain-http",
            "--registry-config",
            config.toString(),
            "-o",
            "json");

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("\"source\": \"" + chart() + "@" + digest + "\"");
  }

  @Test
  void wrongCredentialsAndHttpsToAPlainRegistrySayWhatToDo() {
    CliRun refused =
        run(
            "wrong\n",
            "plan",
            chart(),
            "--version",
            "0.1.0",
            "--plain-http",
            "--username",
            OciRegistry.USERNAME,
            "--password-stdin");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err())
        .isEqualTo(
            "orderly plan: registry "
                + registry.host()
                + " refused the credentials of --username for charts/node-agent (HTTP 401):"
                + " check the username and password, and that they may pull"
                + " [RepositoryUnauthorized]\n");

    CliRun anonymous = run("", "plan", chart(), "--version", "0.1.0", "--plain-http");
    assertThat(anonymous.err())
        .contains("give credentials in --username with --password-stdin, or --registry-config");

    CliRun tls = run("", "plan", chart(), "--version", "0.1.0");
    assertThat(tls.exitCode()).isEqualTo(2);
    assertThat(tls.err()).contains("(if the registry serves plain HTTP, add --plain-http)");
  }

  @Test
  void registryOptionsAreRefusedForALocalChartAndAPasswordNeverComesFromArguments() {
    CliRun local = run("", "plan", NODE_AGENT.toString(), "--version", "1.0.0");
    assertThat(local.exitCode()).isEqualTo(2);
    assertThat(local.err())
        .isEqualTo(
            "orderly plan: --version is for a chart from an OCI registry"
                + " (oci://host/path/chart)\n");

    CliRun alone = run("", "plan", chart(), "--username", "me");
    assertThat(alone.err())
        .isEqualTo(
            "orderly plan: --username and --password-stdin go together: the password is read"
                + " from standard input, never from the command line\n");
  }

  private static String chart() {
    return registry.chartsUrl() + "/node-agent";
  }

  private static CliRun run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          Main.execute(
              args,
              new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
              outStream,
              errStream);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
