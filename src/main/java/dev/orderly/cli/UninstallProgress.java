package dev.orderly.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.Durations;
import dev.orderly.api.TeardownPhase;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@code orderly uninstall} tells the person or script watching: a line per phase as it starts
 * and ends, what it waits for and until when, how many pods are still terminating, notices, and the
 * end. As text for a person, or with {@code -o json} one JSON object per line (JSON Lines), each
 * with {@code event} and {@code time}.
 */
final class UninstallProgress {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  // The phases a person counts; Done is the end, not a phase.
  private static final int PHASES = TeardownPhase.values().length - 1;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final Clock clock;
  private String lastWaiting;
  private int lastPods = -1;

  /** Progress to {@code out}; as text, a failure goes to {@code err}, as Helm's errors do. */
  UninstallProgress(PrintStream out, PrintStream err, boolean json, Clock clock) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.clock = clock;
  }

  void start(String release, String namespace, String target, TeardownPhase resumedIn) {
    if (json) {
      ObjectNode event = event("start").put("release", release).put("namespace", namespace);
      event.put("target", target).put("resumed", resumedIn != null);
      if (resumedIn != null) {
        event.put("phase", resumedIn.name());
      }
      emit(event);
      return;
    }
    line(
        (resumedIn == null ? "uninstalling" : "resuming the uninstall of")
            + " release "
            + release
            + " in namespace "
            + namespace
            + " ("
            + target
            + ")"
            + (resumedIn == null ? "" : ", in phase " + resumedIn));
  }

  void phaseStarted(TeardownPhase phase) {
    lastWaiting = null;
    lastPods = -1;
    if (json) {
      emit(
          event("phaseStarted")
              .put("phase", phase.name())
              .put("index", number(phase))
              .put("of", PHASES));
      return;
    }
    line("phase " + number(phase) + "/" + PHASES + " " + phase + ": started");
  }

  void phaseFinished(TeardownPhase phase, Duration took) {
    if (json) {
      emit(event("phaseFinished").put("phase", phase.name()).put("tookSeconds", took.toSeconds()));
      return;
    }
    line(
        "phase "
            + number(phase)
            + "/"
            + PHASES
            + " "
            + phase
            + ": finished in "
            + Durations.format(took));
  }

  /** What the phase waits for, and until when; said again only when it changes. */
  void waiting(TeardownPhase phase, String message, Instant until) {
    String text = message == null ? phase + ": waiting" : message;
    if (text.equals(lastWaiting)) {
      return;
    }
    lastWaiting = text;
    if (json) {
      ObjectNode event = event("waiting").put("phase", phase.name()).put("message", text);
      if (until != null) {
        event.put("until", until.toString());
      }
      emit(event);
      return;
    }
    String left = "";
    if (until != null) {
      Duration remaining = Duration.between(clock.instant(), until).withNanos(0);
      left =
          " (up to "
              + Durations.format(remaining.isNegative() ? Duration.ZERO : remaining)
              + " more, until "
              + CLOCK.format(until)
              + ")";
    }
    line("  waiting: " + text + left);
  }

  /** The pods of the phase's DaemonSets still terminating; said when the count changes. */
  void podsTerminating(TeardownPhase phase, int pods) {
    if (pods == lastPods) {
      return;
    }
    lastPods = pods;
    if (json) {
      emit(event("podsTerminating").put("phase", phase.name()).put("count", pods));
      return;
    }
    line("  " + pods + " pod" + (pods == 1 ? "" : "s") + " still terminating");
  }

  void notice(boolean warning, String reason, String message) {
    if (json) {
      emit(
          event("notice")
              .put("type", warning ? "Warning" : "Normal")
              .put("reason", reason)
              .put("message", message));
      return;
    }
    line("  " + (warning ? "warning" : "note") + " (" + reason + "): " + message);
  }

  void done(String release, Duration took) {
    if (json) {
      emit(
          event("done")
              .put("release", release)
              .put("tookSeconds", took.toSeconds())
              .put("exitCode", 0));
      return;
    }
    line("release " + release + " uninstalled in " + Durations.format(took));
  }

  /** The run stopped on a failure: which phase, which objects, why. */
  void failed(
      TeardownPhase phase, String reason, String message, List<String> objects, String resume) {
    if (json) {
      ObjectNode event =
          event("failed").put("phase", phase == null ? null : phase.name()).put("reason", reason);
      event.put("message", message);
      var named = event.putArray("objects");
      objects.forEach(named::add);
      if (resume != null) {
        event.put("resume", resume);
      }
      emit(event.put("exitCode", UninstallCommand.FAILED));
      return;
    }
    err.println(
        "orderly uninstall: failed"
            + (phase == null ? "" : " in phase " + phase)
            + " ("
            + reason
            + "): "
            + message);
    objects.forEach(object -> err.println("  " + object));
    if (resume != null) {
      err.println("fix the cause, then run the same command to go on: " + resume);
    }
    err.flush();
  }

  void interrupted(TeardownPhase phase, String resume) {
    if (json) {
      emit(
          event("interrupted")
              .put("phase", phase.name())
              .put("resume", resume)
              .put("exitCode", UninstallCommand.INTERRUPTED));
      return;
    }
    line(
        "interrupted in phase "
            + phase
            + "; progress is kept on the cluster. To resume: "
            + resume);
  }

  /**
   * {@code --dry-run}: the plan, as {@code plan --from-cluster} prints it, and whether a run is
   * kept.
   */
  void plan(PlanReport report, boolean resumable) {
    out.print(json ? PlanJson.render(report) : PlanTable.render(report));
    if (resumable && !json) {
      out.println(
          "An interrupted orderly uninstall of this release is recorded on the cluster; running"
              + " the command without --dry-run resumes it.");
    }
    out.flush();
  }

  private static int number(TeardownPhase phase) {
    return phase.ordinal() + 1;
  }

  private ObjectNode event(String name) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("event", name)
        .put("time", clock.instant().toString());
  }

  private void emit(ObjectNode event) {
    out.println(event.toString());
    out.flush();
  }

  private void line(String text) {
    out.println("[" + CLOCK.format(clock.instant()) + "] " + text);
    out.flush();
  }
}
