package dev.orderly.cli;

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
          run    Run the operator against the current cluster.
                   --namespaces a,b     namespaces to watch (default: all)
                   --kubeconfig FILE    kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)
                   --helm-threads N     Helm operations at once (default 4)
                   --work-dir DIR       chart cache and scratch space (default: java.io.tmpdir/orderly)
        """;
  }
}
