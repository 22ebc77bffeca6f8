package dev.orderly.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code run} starts the operator, {@code plan} prints a teardown plan, {@code
 * uninstall} runs the ordered teardown of a Helm release itself. Every command answers {@code
 * --help} without touching a cluster, refuses options it does not know, and reports a failure as
 * one line (cause and what to do) with exit status 2, never a stack trace.
 */
public final class Main {
  /** The exit status of a usage mistake or of a failure the user can fix. */
  static final int USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs a command and returns its exit status; separated from main so tests can call it. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return execute(args, System.in, out, err);
  }

  /** As {@link #execute(String[], PrintStream, PrintStream)}, with {@code in} as standard input. */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return execute(args, in, out, err, UninstallCommand.Environment::system);
  }

  /**
   * As {@link #execute(String[], InputStream, PrintStream, PrintStream)}, with what {@code
   * uninstall} takes from its surroundings (clock, wake-ups, Ctrl-C) from {@code uninstall}, asked
   * only once the command line is known to be good.
   */
  static int execute(
      String[] args,
      InputStream in,
      PrintStream out,
      PrintStream err,
      Supplier<UninstallCommand.Environment> uninstall) {
    if (args.length == 0) {
      err.print(Usage.overview());
      return USAGE;
    }
    String command = args[0];
    if (isHelp(command) || command.equals("help")) {
      out.print(Usage.overview());
      return 0;
    }
    Optional<String> usage = Usage.of(command);
    if (usage.isEmpty()) {
      err.println(
          "orderly: unknown command '"
              + command
              + "'; the commands are plan, run and uninstall (see --help)");
      return USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.stream(rest).anyMatch(Main::isHelp)) {
      out.print(usage.get());
      return 0;
    }
    try {
      return switch (command) {
        // Parsed first: a usage mistake then ends before the operator's classes even load.
        case "run" -> RunCommand.run(RunOptions.parse(Arguments.parse(rest)));
        case "plan" -> PlanCommand.run(Arguments.parse(rest), in, out, err);
        case "uninstall" -> UninstallCommand.run(Arguments.parse(rest), out, err, uninstall);
        default -> throw new IllegalStateException("no command " + command);
      };
    } catch (IllegalArgumentException | CommandFailure e) {
      err.println("orderly " + command + ": " + e.getMessage());
      return USAGE;
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Main.class).debug("orderly {} failed", command, e);
      err.println(
          "orderly "
              + command
              + ": unexpected error: "
              + CommandFailure.rootCause(e)
              + " ("
              + e.getClass().getName()
              + "); ORDERLY_LOG_LEVEL=debug shows where; please report it");
      return USAGE;
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }
}
