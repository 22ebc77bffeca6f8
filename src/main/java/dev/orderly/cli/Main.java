package dev.orderly.cli;

import dev.orderly.chart.KubeCapabilities;
import java.io.PrintStream;
import java.util.Arrays;

/** The command line: {@code run} starts the operator, {@code plan} prints a teardown plan. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs a command and returns its exit status; separated from main so tests can call it. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(usage());
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (args[0]) {
        case "run" -> RunCommand.run(Arguments.parse(rest), out);
        case "plan" -> PlanCommand.run(Arguments.parse(rest), out, err);
        default -> {
          err.println("orderly: unknown command '" + args[0] + "'\n");
          err.print(usage());
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println("orderly " + args[0] + ": " + e.getMessage());
      return 2;
    }
  }

  static String usage() {
    return """
        Usage: orderly <command> [options]

        Commands:
          plan   Print the teardown Orderly would perform for a chart, then its hook findings.
                 Contacts no cluster unless --from-cluster is given (lookup returns nothing, as
                 in helm template). Exit status: 0 clean, 1 hook findings, 2 usage or chart error.
                   orderly plan <chart> [options]
                   orderly plan <chart> --from-cluster [options] [--kubeconfig FILE]
                   orderly plan --from-cluster --release NAME [--namespace NS] [--kubeconfig FILE]
                   --values FILE, -f    a values file (repeatable; later files win)
                   --set a=1,b.c=x      values as helm takes them: comma-separated, {x,y} for a
                                        list, \\, for a literal comma (repeatable)
                   --release NAME       release name (default: the chart's name)
                   --namespace NS, -n   release namespace (default: default)
                   --kube-version V     Kubernetes version to render for (default: %s)
                   --api-versions L, -a API versions .Capabilities.APIVersions.Has finds besides
                                        Helm's built-in ones (repeatable, comma-separated)
                   -o table|json        output format (default: table)
                   --from-cluster       with a chart: render for the cluster's version and API
                                        versions; without: plan from the release's latest record
                   --kubeconfig FILE    with --from-cluster (default: KUBECONFIG, ~/.kube/config)
                   --hook-timeout 5m    shown hook timeout (default 5m, as spec.uninstall)
                   --timeout 10m        shown timeout of phases 2-7 (default 10m)
                   --crds Keep|Delete   as spec.uninstall.crds, for CRDs in templates/ (Keep)
          run    Run the operator against the current cluster.
                   --namespaces a,b     namespaces to watch (default: all)
                   --kubeconfig FILE    kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)
                   --helm-threads N     Helm operations at once (default 4)
                   --reconcile-threads N  reconciler threads (default 10)
                   --work-dir DIR       chart cache and scratch space (default: java.io.tmpdir/orderly)
                   --leader-election=true|false  elect a leader via Lease orderly-operator in
                                        $POD_NAMESPACE (default: true)
                   --metrics-port N     /metrics, /healthz, /readyz (default 8080; 0 picks one)
                   --log-format text|json  log line format (default: text)
        """
        .formatted(KubeCapabilities.DEFAULT_KUBE_VERSION);
  }
}
