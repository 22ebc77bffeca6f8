package dev.orderly.bench;

import static dev.orderly.bench.Stats.ms;

import dev.orderly.e2e.PlaneBenchmark;
import dev.orderly.e2e.PlaneBenchmark.Footprint;
import dev.orderly.e2e.PlaneBenchmark.Gap;
import dev.orderly.e2e.PlaneBenchmark.Gaps;
import dev.orderly.e2e.PlaneBenchmark.Request;
import dev.orderly.e2e.PlaneBenchmark.Result;
import dev.orderly.e2e.PlaneBenchmark.Scale;
import dev.orderly.e2e.PlaneBenchmark.Side;
import dev.orderly.testsupport.ApiRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The real control plane's figures ({@link PlaneBenchmark}): its targets, checked like {@link
 * Diagnosis} checks the in-memory ones, its tables, and the side-by-side comparison with the
 * in-memory run. The requests of one teardown are sorted with {@link RequestAudit}, the same
 * classification as in memory, from the audit log instead of the test server's journal.
 */
final class PlaneReport {
  static final double GAPS_MS = 500;
  static final double SCALE_RATIO = 1.5;
  static final double FILLED_RATIO = 1.10;

  private final Result plane;

  PlaneReport(Result plane) {
    this.plane = plane;
  }

  boolean ran() {
    return plane != null && plane.notRun() == null;
  }

  // ---- requests of one teardown ----------------------------------------------------------

  /** The operator's requests of the one-release teardown, as the in-memory journal records them. */
  List<ApiRequest> oneTeardown() {
    return plane.oneTeardown().stream().map(PlaneReport::asApiRequest).toList();
  }

  static ApiRequest asApiRequest(Request r) {
    String method =
        switch (r.verb()) {
          case "create" -> "POST";
          case "update" -> "PUT";
          case "patch" -> "PATCH";
          case "delete", "deletecollection" -> "DELETE";
          default -> "GET";
        };
    String body = r.verb().equals("create") ? "{\"metadata\":{\"name\":\"" + r.name() + "\"}}" : "";
    // RequestAudit tells Helm from Orderly by Accept; the audit log has the user agent.
    String accept = r.userAgent().startsWith("fabric8") ? "" : "application/json";
    return new ApiRequest(method, r.uri(), "", accept, body);
  }

  Optional<RequestAudit.Tally> tally() {
    return ran() && !plane.oneTeardown().isEmpty()
        ? Optional.of(RequestAudit.classify(oneTeardown()))
        : Optional.empty();
  }

  List<String> oneTeardownLines() {
    List<String> lines = new ArrayList<>();
    if (!ran()) {
      return lines;
    }
    List<ApiRequest> requests = oneTeardown();
    List<RequestAudit.Category> categories = RequestAudit.categorize(requests);
    for (int i = 0; i < requests.size(); i++) {
      Request r = plane.oneTeardown().get(i);
      RequestAudit.Category c = categories.get(i);
      lines.add(
          String.format(
              "%s %-6s %-5s %s %s -> %d [%s]",
              r.at(),
              c.needed ? "needed" : "extra",
              requests.get(i).method(),
              r.uri(),
              r.userAgent().startsWith("fabric8") ? "orderly" : "helm",
              r.code(),
              c.label));
    }
    return lines;
  }

  // ---- targets ---------------------------------------------------------------------------

  List<Diagnosis.Target> targets() {
    List<Diagnosis.Target> targets = new ArrayList<>();
    if (!ran()) {
      return targets;
    }
    tally().ifPresent(t -> targets.add(requests(t)));
    scale(500).or(this::largest).ifPresent(s -> targets.addAll(versusHelm(s)));
    if (plane.gaps() != null) {
      targets.add(gaps(plane.gaps()));
    }
    if (plane.footprint() != null) {
      targets.addAll(footprint(plane.footprint()));
    }
    targets.add(
        new Diagnosis.Target(
            "No phase of a real public chart waits on a poll (real plane)",
            "no poll",
            "not measured: the benchmark tears down its own chart and node-agent, whose kinds are"
                + " all watched",
            false,
            "No public chart (custom resources, Services, RBAC-only phases) is part of this"
                + " benchmark.",
            "Add a public chart with custom resources to the real-plane run and time each phase's"
                + " end against its last object's delete in the audit log."));
    return targets;
  }

  private Diagnosis.Target requests(RequestAudit.Tally tally) {
    int total = tally.total();
    double ratio = (double) total / RequestAudit.minimum();
    boolean met = ratio <= Diagnosis.REQUEST_RATIO;
    List<String> extras = new ArrayList<>();
    tally
        .counts()
        .forEach(
            (category, bySender) -> {
              if (!category.needed) {
                extras.add(tally.count(category) + " " + category.label);
              }
            });
    return new Diagnosis.Target(
        "API requests per teardown (real plane, audit log)",
        "≤ 1.5 × the minimum (" + RequestAudit.minimum() + ")",
        String.format("%d = %.2f × the minimum", total, ratio),
        met,
        met ? "" : "Extra requests in the one-release teardown: " + String.join("; ", extras) + ".",
        met
            ? ""
            : "Fewer informer starts (each phase lists its kinds in the namespace), status"
                + " progress written less often, fewer ledger writes.");
  }

  private List<Diagnosis.Target> versusHelm(Scale s) {
    Side o = s.orderly();
    Side h = s.helm();
    boolean comparable = !o.capped() && !h.capped() && o.finished() > 0 && h.finished() > 0;
    String name = s.releases() + " releases deleted at once (real plane)";
    double ratio = (double) o.wallMs() / Math.max(1, h.wallMs());
    boolean timeMet = comparable && o.installed() == s.releases() && ratio <= SCALE_RATIO;
    String timeMeasured =
        describe(o) + " vs " + describe(h) + (comparable ? String.format(" = %.2f×", ratio) : "");
    String timeWhy =
        timeMet
            ? ""
            : (o.installed() < s.releases() || h.installed() < s.releases()
                    ? "Installs were capped: Orderly had "
                        + o.installed()
                        + " and Helm "
                        + h.installed()
                        + " of "
                        + s.releases()
                        + " installed when the budget moved on (installs run through Helm, 4 at a"
                        + " time in the operator, 10 in the benchmark, on 2 shared cores). "
                    : "")
                + (o.capped()
                    ? "Orderly's teardown did not finish within its cap ("
                        + o.finished()
                        + " of "
                        + o.installed()
                        + " gone). "
                    : "")
                + (h.capped()
                    ? "helm uninstall did not finish within its cap ("
                        + h.finished()
                        + " of "
                        + h.installed()
                        + "). "
                    : "")
                + (comparable && ratio > SCALE_RATIO
                    ? String.format(
                        "Orderly waits for each phase's objects to be gone (pods terminated by the"
                            + " garbage collector and the node stand-in) before the next, and sent"
                            + " %d requests against Helm's %d; helm uninstall neither orders nor"
                            + " waits. ",
                        o.requestTotal(), h.requestTotal())
                    : "");
    List<Diagnosis.Target> targets = new ArrayList<>();
    targets.add(
        new Diagnosis.Target(
            name + ": Orderly's wall time vs helm uninstall",
            "≤ 1.5 × helm uninstall",
            timeMeasured,
            timeMet,
            timeWhy,
            timeMet ? "" : "See the per-phase and request targets; fewer requests per teardown."));
    boolean fewer = comparable && o.requestTotal() <= h.requestTotal();
    targets.add(
        new Diagnosis.Target(
            name + ": API requests vs helm uninstall",
            "never more than Helm",
            o.requestTotal() + " (Orderly) vs " + h.requestTotal() + " (Helm)",
            fewer,
            fewer
                ? ""
                : (comparable ? "" : "The runs are not comparable (a cap ended one). ")
                    + "Orderly's largest kinds: "
                    + top(o.requests(), 4)
                    + "; Helm's: "
                    + top(h.requests(), 4)
                    + ".",
            fewer
                ? ""
                : "Write status progress less often, and start fewer"
                    + " informers per teardown; Helm sends neither, as it neither waits nor"
                    + " reports progress."));
    return targets;
  }

  private Diagnosis.Target gaps(Gaps gaps) {
    long total = gaps.totalMs();
    boolean met = total <= GAPS_MS;
    List<Gap> sorted = new ArrayList<>(gaps.gaps());
    sorted.sort(Comparator.comparingLong(Gap::ms).reversed());
    List<String> worst =
        sorted.stream()
            .limit(3)
            .map(g -> g.ms() + " ms from \"" + g.waitedFor() + "\" to \"" + g.nextAction() + "\"")
            .toList();
    return new Diagnosis.Target(
        "Operator's own gaps in one node-agent teardown (real plane, audit log)",
        "≤ 0.5 s in all",
        ms(total)
            + " in "
            + gaps.gaps().size()
            + " waits (teardown "
            + ms(gaps.teardownMs())
            + ", "
            + gaps.operatorRequests()
            + " operator requests)",
        met,
        met ? "" : "The longest: " + String.join("; ", worst) + ".",
        met
            ? ""
            : "Fewer writes between an event and the next action: the ledger and status are"
                + " written before the operator acts, each a round trip on the reconciler"
                + " thread.");
  }

  private List<Diagnosis.Target> footprint(Footprint f) {
    List<Diagnosis.Target> targets = new ArrayList<>();
    long mib = f.rssKiB() / 1024;
    boolean met = f.rssKiB() > 0 && mib <= Diagnosis.RSS_MIB;
    targets.add(
        new Diagnosis.Target(
            String.format("Resident memory with %,d OrderedReleases (real plane)", f.releases()),
            "≤ 300 MiB",
            mib + " MiB (" + f.jvmFlags() + ")",
            met,
            met
                ? ""
                : "The JVM's heap, committed and not given back without a GC, plus Helm's Go"
                    + " runtime; see the in-memory footprint's breakdown.",
            met ? "" : "A smaller heap or SerialGC in the image's JVM options."));
    double ratio = (double) f.filledRssKiB() / Math.max(1, f.rssKiB());
    boolean filledMet = f.filledRssKiB() > 0 && ratio <= FILLED_RATIO;
    targets.add(
        new Diagnosis.Target(
            String.format(
                "Resident memory with %,d ConfigMaps, %,d Secrets, %,d Pods added (real plane)",
                f.configMaps(), f.secrets(), f.pods()),
            "≤ 110% of the empty cluster's",
            String.format("%d MiB = %.0f%%", f.filledRssKiB() / 1024, 100 * ratio),
            filledMet,
            filledMet
                ? ""
                : String.format(
                    "Resident memory grew by %d MiB while objects no OrderedRelease owns were"
                        + " added. No informer keeps them (Helm records are cached by"
                        + " owner=helm, metadata only; Secrets and ConfigMaps only while a"
                        + " release references them; Pods and workloads per namespace while a"
                        + " teardown needs them), but the referenced-object informers still"
                        + " receive and decode every Secret and ConfigMap event, and no GC is"
                        + " forced before the reading; which of these held the growth was not"
                        + " isolated.",
                    (f.filledRssKiB() - f.rssKiB()) / 1024),
            filledMet
                ? ""
                : "Watch referenced Secrets and ConfigMaps by name (or label) instead of"
                    + " filtering after decoding; read the footprint after a GC."));
    boolean first = f.startToFirstReconcileMs() >= 0 && f.startToFirstReconcileMs() <= 3000;
    targets.add(
        new Diagnosis.Target(
            "First reconcile after process start (real plane)",
            "≤ 3 s",
            f.startToFirstReconcileMs() < 0 ? "none seen" : ms(f.startToFirstReconcileMs()),
            first,
            first
                ? ""
                : "JVM start, class loading, and each informer's initial list on the real API"
                    + " server (with "
                    + f.releases()
                    + " OrderedReleases) come before the first reconcile.",
            first ? "" : "AppCDS for the jar; start informers for fewer kinds at start."));
    return targets;
  }

  // ---- markdown --------------------------------------------------------------------------

  /** The side-by-side table: the in-memory figures against the real plane's. */
  void sideBySide(
      StringBuilder out,
      List<TeardownRun> memoryScale,
      TeardownRun overhead,
      List<FootprintRun.Result> memoryFootprint) {
    line(out, "## Side by side: in-memory test server | real control plane");
    line(out, "");
    if (!ran()) {
      line(
          out,
          "The real control plane part was not run: %s.",
          plane == null ? "not asked for" : plane.notRun());
      line(out, "");
    }
    line(out, "| Figure | In-memory | Real plane (Orderly) | Real plane (helm uninstall) |");
    line(out, "| --- | --- | --- | --- |");
    TreeSet<Integer> counts = new TreeSet<>();
    if (memoryScale != null) {
      memoryScale.forEach(r -> counts.add(r.releases()));
    }
    if (ran()) {
      plane.scale().forEach(s -> counts.add(s.releases()));
    }
    for (int count : counts) {
      String memory =
          memoryScale == null
              ? "not run"
              : memoryScale.stream()
                  .filter(r -> r.releases() == count)
                  .findFirst()
                  .map(
                      r ->
                          (r.capped()
                                  ? r.finished() + " of " + r.releases() + " at the cap, > "
                                  : "")
                              + ms(r.total().toMillis())
                              + " (p50 "
                              + ms(r.perRelease().medianMs())
                              + ", p99 "
                              + ms(r.perRelease().p99Ms())
                              + ")")
                  .orElse("");
      Optional<Scale> s = scale(count);
      line(
          out,
          "| %d at once: wall time (per release p50, p99) | %s | %s | %s |",
          count,
          memory,
          s.map(x -> describe(x.orderly())).orElse(ran() ? "not run" : "—"),
          s.map(x -> describe(x.helm())).orElse(ran() ? "not run" : "—"));
      if (s.isPresent()) {
        line(
            out,
            "| %d at once: API requests (audit log) | | %d | %d |",
            count,
            s.get().orderly().requestTotal(),
            s.get().helm().requestTotal());
      }
    }
    String memoryRequests =
        overhead == null
            ? "not run"
            : String.format(
                "%.0f (minimum %d)", Summary.requestsMedian(overhead), RequestAudit.minimum());
    line(
        out,
        "| Requests per teardown of one release | %s | %s | |",
        memoryRequests,
        tally()
            .map(t -> t.total() + " (minimum " + RequestAudit.minimum() + ")")
            .orElse(ran() ? "not measured" : "—"));
    Footprint f = ran() ? plane.footprint() : null;
    String memoryRss =
        memoryFootprint == null || memoryFootprint.isEmpty()
            ? "not run"
            : FootprintRun.medianByRss(memoryFootprint).rssKiB() / 1024 + " MiB (after a full GC)";
    line(
        out,
        "| Resident memory, 1,000 OrderedReleases | %s | %s | |",
        memoryRss,
        f == null ? (ran() ? "not measured" : "—") : f.rssKiB() / 1024 + " MiB (no forced GC)");
    line(
        out,
        "| Resident memory, cluster filled with unrelated objects | not measured | %s | |",
        f == null ? (ran() ? "not measured" : "—") : f.filledRssKiB() / 1024 + " MiB");
    String memoryFirst =
        memoryFootprint == null || memoryFootprint.isEmpty()
            ? "not run"
            : ms(FootprintRun.medianFirstReconcile(memoryFootprint).toMillis());
    line(
        out,
        "| Process start → first reconcile | %s | %s | |",
        memoryFirst,
        f == null ? (ran() ? "not measured" : "—") : ms(f.startToFirstReconcileMs()));
    line(
        out,
        "| Operator's gaps in one node-agent teardown | not measurable (no audit log) | %s | |",
        ran() && plane.gaps() != null
            ? ms(plane.gaps().totalMs()) + " (teardown " + ms(plane.gaps().teardownMs()) + ")"
            : (ran() ? "not measured" : "—"));
    line(out, "");
  }

  /** The real plane's own sections. */
  void sections(StringBuilder out) {
    if (!ran()) {
      return;
    }
    line(out, "## Real control plane");
    line(out, "");
    line(
        out,
        "kube-apiserver 1.24 with kine on SQLite (`../shared/k8s`), on the same machine. `orderly"
            + " run` is the packaged jar in its own JVM (%s) as the operator chart's ServiceAccount;"
            + " helm-java runs in the benchmark's JVM as a cluster-admin ServiceAccount of its"
            + " own, so the audit log tells their requests apart. %d stand-in nodes: pods start at"
            + " once, Job pods succeed at once, preStop 0 s (the physical floor is the controllers'"
            + " and the garbage collector's own latency). The chart is the in-memory benchmark's"
            + " (3 pre-delete hooks, 2 DaemonSets × 3 pods, 3 Deployments, 20 other objects),"
            + " release `bench`, one namespace each; installs (Orderly's through OrderedReleases,"
            + " Helm's with helm-java, %d at a time) are not measured. Took %d s.",
        "-Xmx384m",
        PlaneBenchmark.NODES,
        PlaneBenchmark.HELM_PARALLELISM,
        plane.tookSeconds());
    line(out, "");
    line(out, "### Releases deleted at once");
    line(out, "");
    line(
        out,
        "| Releases | Who | Installed | Done | Wall time | Per-release p50 | p99 | API requests |");
    line(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Scale s : plane.scale()) {
      for (Side side : List.of(s.orderly(), s.helm())) {
        line(
            out,
            "| %d | %s | %d | %d%s | %s | %s | %s | %d |",
            s.releases(),
            side.who(),
            side.installed(),
            side.finished(),
            side.capped() ? " (cap " + side.capSeconds() + " s)" : "",
            (side.capped() ? "> " : "") + ms(side.wallMs()),
            ms(percentile(side.perReleaseMs(), 50)),
            ms(percentile(side.perReleaseMs(), 99)),
            side.requestTotal());
      }
    }
    line(out, "");
    if (!plane.scale().isEmpty()) {
      line(
          out,
          "%s. %s.",
          plane.scale().get(0).orderly().note(),
          plane.scale().get(0).helm().note());
      line(out, "");
      line(out, "API requests by verb and resource (Orderly / Helm), from the audit log:");
      line(out, "");
      StringBuilder header = new StringBuilder("| Request |");
      StringBuilder rule = new StringBuilder("| --- |");
      TreeSet<String> kinds = new TreeSet<>();
      for (Scale s : plane.scale()) {
        header.append(" ").append(s.releases()).append(" |");
        rule.append(" --- |");
        kinds.addAll(s.orderly().requests().keySet());
        kinds.addAll(s.helm().requests().keySet());
      }
      line(out, header.toString());
      line(out, rule.toString());
      for (String kind : kinds) {
        StringBuilder row = new StringBuilder("| " + kind + " |");
        for (Scale s : plane.scale()) {
          row.append(
              String.format(
                  " %d / %d |",
                  s.orderly().requests().getOrDefault(kind, 0),
                  s.helm().requests().getOrDefault(kind, 0)));
        }
        line(out, row.toString());
      }
      line(out, "");
    }
    tally()
        .ifPresent(
            t -> {
              line(out, "### API requests of one teardown (1 release, audit log)");
              line(out, "");
              line(out, "| Request | Needed | By Orderly | By Helm |");
              line(out, "| --- | --- | --- | --- |");
              t.counts()
                  .forEach(
                      (category, bySender) ->
                          line(
                              out,
                              "| %s | %s | %s | %s |",
                              category.label,
                              category.needed ? "yes" : "extra",
                              bySender.getOrDefault(RequestAudit.Sender.Orderly, 0),
                              bySender.getOrDefault(RequestAudit.Sender.Helm, 0)));
              line(out, "");
              line(
                  out,
                  "%d requests against a minimum of %d: %.2f × the minimum. Each request, marked"
                      + " needed or extra, is in `requests-one-teardown-plane.txt`.",
                  t.total(),
                  RequestAudit.minimum(),
                  (double) t.total() / RequestAudit.minimum());
              line(out, "");
            });
    Gaps gaps = plane.gaps();
    if (gaps != null) {
      line(out, "### The operator's gaps in one node-agent teardown");
      line(out, "");
      line(
          out,
          "charts/examples/node-agent (pre-delete drain Job, a DaemonSet, a Deployment, RBAC);"
              + " teardown %s from the delete to the object gone. A gap: from the last write by"
              + " anyone else (the user's delete, a controller, the garbage collector, the node"
              + " stand-in) to the operator's next write, when that write came after the"
              + " operator's previous one. Reads, Events and Leases are left out.",
          ms(gaps.teardownMs()));
      line(out, "");
      line(out, "| Waited for | Operator's next action | Gap |");
      line(out, "| --- | --- | --- |");
      for (Gap g : gaps.gaps()) {
        line(out, "| %s | %s | %s |", g.waitedFor(), g.nextAction(), ms(g.ms()));
      }
      line(out, "| **In all** | | **%s** |", ms(gaps.totalMs()));
      line(out, "");
    }
    Footprint f = plane.footprint();
    if (f != null) {
      line(out, "### Footprint");
      line(out, "");
      line(out, "%s.", f.note());
      line(out, "");
      line(out, "| Cluster | Resident (VmRSS) | Series (MiB, every second) |");
      line(out, "| --- | --- | --- |");
      line(
          out,
          "| %,d suspended OrderedReleases (%d reconciled) | %d MiB | %s |",
          f.releases(),
          f.reconciled(),
          f.rssKiB() / 1024,
          mib(f.rssSeriesKiB()));
      line(
          out,
          "| + %,d ConfigMaps, %,d Secrets, %,d Pods (created in %d s) | %d MiB | %s |",
          f.configMaps(),
          f.secrets(),
          f.pods(),
          f.fillSeconds(),
          f.filledRssKiB() / 1024,
          mib(f.filledSeriesKiB()));
      line(out, "");
      line(
          out,
          "Process start → first reconcile: %s; → all %,d reconciled: %s.",
          ms(f.startToFirstReconcileMs()),
          f.releases(),
          ms(f.startToAllReconciledMs()));
      line(out, "");
    }
    if (!plane.problems().isEmpty()) {
      line(out, "### What cut the real-plane run short");
      line(out, "");
      plane.problems().forEach(p -> line(out, "- %s", p));
      line(out, "");
    }
  }

  /** The figures for report.json. */
  Map<String, Object> json() {
    Map<String, Object> map = new LinkedHashMap<>();
    if (!ran()) {
      map.put("notRun", plane == null ? "not asked for" : plane.notRun());
      return map;
    }
    map.put("tookSeconds", plane.tookSeconds());
    map.put("scaleAsked", plane.plan().scale());
    map.put("scale", plane.scale());
    tally()
        .ifPresent(
            t -> {
              Map<String, Object> requests = new LinkedHashMap<>();
              requests.put("total", t.total());
              requests.put("minimum", RequestAudit.minimum());
              Map<String, Integer> byCategory = new LinkedHashMap<>();
              t.counts().keySet().forEach(c -> byCategory.put(c.name(), t.count(c)));
              requests.put("byCategory", byCategory);
              map.put("oneTeardownRequests", requests);
            });
    if (plane.gaps() != null) {
      map.put("gaps", plane.gaps());
      map.put("gapsTotalMs", plane.gaps().totalMs());
    }
    map.put("footprint", plane.footprint());
    map.put("problems", plane.problems());
    return map;
  }

  private Optional<Scale> scale(int count) {
    return ran()
        ? plane.scale().stream().filter(s -> s.releases() == count).findFirst()
        : Optional.empty();
  }

  private Optional<Scale> largest() {
    return plane.scale().stream().max(Comparator.comparingInt(Scale::releases));
  }

  private static String describe(Side side) {
    String done =
        side.capped() || side.installed() < side.wanted()
            ? side.finished() + " of " + side.wanted() + (side.capped() ? " at the cap, > " : ", ")
            : "";
    return done
        + ms(side.wallMs())
        + " (p50 "
        + ms(percentile(side.perReleaseMs(), 50))
        + ", p99 "
        + ms(percentile(side.perReleaseMs(), 99))
        + ")";
  }

  private static String top(Map<String, Integer> requests, int n) {
    return String.join(
        ", ",
        requests.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(n)
            .map(e -> e.getValue() + " " + e.getKey())
            .toList());
  }

  private static double percentile(List<Long> values, double p) {
    return values.isEmpty()
        ? Double.NaN
        : Stats.percentile(values.stream().map(Long::doubleValue).sorted().toList(), p);
  }

  private static String mib(List<Long> kib) {
    return String.join(" ", kib.stream().map(k -> String.valueOf(k / 1024)).toList());
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(args.length == 0 ? format : String.format(format, args)).append('\n');
  }
}
