package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.UninstallOptions;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.api.UninstallOptions.Propagation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code orderly uninstall}'s command line: every flag maps onto {@link UninstallOptions} as the
 * operator's spec.uninstall, the command that resumes is the one given, and a usage or connection
 * error ends with exit status 2 before anything is touched.
 */
class UninstallUsageTest {

  @Test
  void everyFlagMapsOntoTheOperatorsUninstallOptions() {
    UninstallArgs args =
        UninstallArgs.parse(
            Arguments.parse(
                new String[] {
                  "agent",
                  "-n",
                  "agents",
                  "--kubeconfig",
                  "/tmp/kc",
                  "--context",
                  "prod",
                  "--timeout",
                  "3m",
                  "--hook-timeout",
                  "90s",
                  "--no-hooks",
                  "--keep-history",
                  "--cascade",
                  "background",
                  "--on-timeout",
                  "continue",
                  "--daemonsets-selector",
                  "kube-system/app=agent,tier=node",
                  "--daemonsets-selector",
                  "made-by=operator",
                  "--crds",
                  "Delete",
                  "-o",
                  "json"
                }));

    assertThat(args.release()).isEqualTo("agent");
    assertThat(args.namespace()).isEqualTo("agents");
    assertThat(args.kubeconfig()).isEqualTo(Path.of("/tmp/kc"));
    assertThat(args.context()).isEqualTo("prod");
    assertThat(args.json()).isTrue();
    assertThat(args.dryRun()).isFalse();
    assertThat(args.cascade()).isEqualTo(Propagation.Background);
    UninstallOptions options = args.uninstall();
    assertThat(options.getTimeout()).isEqualTo("3m");
    assertThat(options.getHookTimeout()).isEqualTo("90s");
    assertThat(options.isDisableHooks()).isTrue();
    assertThat(options.isKeepHistory()).isTrue();
    assertThat(options.getOnTimeout()).isEqualTo(OnTimeout.Continue);
    assertThat(options.getCrds()).isEqualTo(UninstallOptions.CrdPolicy.Delete);
    assertThat(options.getDaemonSets()).hasSize(2);
    assertThat(options.getDaemonSets().get(0).getNamespace()).isEqualTo("kube-system");
    assertThat(options.getDaemonSets().get(0).getSelector().getMatchLabels())
        .containsExactly(Map.entry("app", "agent"), Map.entry("tier", "node"));
    assertThat(options.getDaemonSets().get(1).getNamespace()).isNull();
    assertThat(options.getDaemonSets().get(1).getSelector().getMatchLabels())
        .containsExactly(Map.entry("made-by", "operator"));
  }

  @Test
  void theDefaultsAreTheOperatorsAndHelmsNamespace() {
    UninstallArgs args = UninstallArgs.parse(Arguments.parse(new String[] {"agent"}));

    assertThat(args.namespace()).isEqualTo("default");
    assertThat(args.cascade()).isEqualTo(Propagation.Foreground);
    assertThat(args.json()).isFalse();
    UninstallOptions options = args.uninstall();
    UninstallOptions operator = new UninstallOptions();
    assertThat(options.getTimeout()).isEqualTo(operator.getTimeout());
    assertThat(options.getHookTimeout()).isEqualTo(operator.getHookTimeout());
    assertThat(options.getOnTimeout()).isEqualTo(OnTimeout.Fail);
    assertThat(options.isDisableHooks()).isFalse();
    assertThat(options.isKeepHistory()).isFalse();
  }

  @Test
  void aSwitchBeforeTheReleaseDoesNotTakeItAsItsValue() {
    UninstallArgs args =
        UninstallArgs.parse(Arguments.parse(new String[] {"--no-hooks", "agent", "--dry-run"}));

    assertThat(args.release()).isEqualTo("agent");
    assertThat(args.uninstall().isDisableHooks()).isTrue();
    assertThat(args.dryRun()).isTrue();
  }

  @Test
  void theResumeCommandIsTheCommandAsGivenQuotedForAShell() {
    UninstallArgs args =
        UninstallArgs.parse(
            Arguments.parse(
                new String[] {
                  "--keep-history", "agent", "-n", "agents", "--kubeconfig", "/my dir/kc"
                }));

    assertThat(args.command())
        .isEqualTo("orderly uninstall agent --keep-history -n agents --kubeconfig '/my dir/kc'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "uninstall|which release? usage: orderly uninstall RELEASE",
        "uninstall a b|one release at a time, got a b",
        "uninstall a --force|unknown option --force (see orderly uninstall --help)",
        "uninstall a --cascade orphan|--cascade takes foreground or background, not 'orphan'",
        "uninstall a --on-timeout later|--on-timeout takes fail or continue, not 'later'",
        "uninstall a --timeout soon|--timeout: ",
        "uninstall a --hook-timeout 0s|--hook-timeout: must be more than 0",
        "uninstall a --daemonsets-selector app|--daemonsets-selector takes"
            + " [NAMESPACE/]key=value[,key=value], not 'app'",
        "uninstall a -o yaml|-o takes text or json, not 'yaml'",
        "uninstall a --crds Some|--crds takes Keep or Delete, not 'Some'",
        "uninstall a --namespace|--namespace needs a value",
      })
  void aUsageMistakeEndsWithStatus2AndSaysWhatIsWrong(String line, String message) {
    CliRun run = CliRun.of(line.split(" "));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("orderly uninstall: ").contains(message);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnreachableClusterEndsWithStatus2NamingIt(@TempDir Path dir) throws Exception {
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters:
            - name: down
              cluster:
                server: http://127.0.0.1:1
            contexts:
            - name: down
              context:
                cluster: down
                user: down
            current-context: down
            users:
            - name: down
              user: {}
            """);

    CliRun run =
        UninstallScenario.detached("uninstall", "agent", "--kubeconfig", kubeconfig.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("orderly uninstall: cannot uninstall release agent in namespace default")
        .contains("context down, server http://127.0.0.1:1");
  }

  @Test
  void helpNamesEveryFlagAndTheExitStatuses() {
    CliRun run = CliRun.of("uninstall", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "--namespace NS, -n",
            "--kubeconfig FILE",
            "--context NAME",
            "--timeout",
            "--hook-timeout",
            "--no-hooks",
            "--keep-history",
            "--cascade foreground|background",
            "--on-timeout fail|continue",
            "--daemonsets-selector",
            "--dry-run",
            "-o text|json",
            "0 done, 1 stopped on a failure",
            "2 usage or connection",
            "130 interrupted");
    assertThat(CliRun.of("--help").out()).contains("uninstall  Tear a Helm release down");
  }
}
