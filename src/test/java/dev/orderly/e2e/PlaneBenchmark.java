package dev.orderly.e2e;

import com.marcnuri.helm.Helm;
import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The teardown benchmark on the real control plane ({@link ControlPlane}, {@code ../shared/k8s}):
 * {@code orderly run} as a process with the operator chart's ServiceAccount ({@link
 * OperatorProcess}), {@value #NODES} stand-in nodes ({@link NodeStandIn}: pods start at once, Job
 * pods succeed at once, preStop 0 s), and helm-java as a cluster-admin ServiceAccount of its own,
 * so the audit log tells the operator's requests from Helm's. {@code dev.orderly.bench
 * .TeardownBenchmark} runs it after the in-memory benchmark and writes both into one report.
 *
 * <p>In order, on one plane: one node-agent teardown for the operator's gaps; for 1, 10, 100 and
 * 500 releases of the benchmark chart (each in its own namespace, installed by the operator from
 * OrderedReleases, and as many installed with helm-java for the comparison), all OrderedReleases
 * deleted at once, then {@code helm uninstall} of the Helm ones with {@value #HELM_PARALLELISM} at
 * a time (the operator's reconciler threads); last, the footprint of a fresh {@code orderly run}
 * with 1,000 suspended OrderedReleases, before and after 10,000 ConfigMaps, 10,000 Secrets and
 * 2,000 Pods are added. Installs are not measured. Each step has a cap within the whole budget; a
 * step cut short by its cap says how far it got.
 */
public final class PlaneBenchmark {
  public static final int NODES = 3;

  /** {@code orderly run}'s default {@code --reconcile-threads}: Helm gets the same parallelism. */
  public static final int HELM_PARALLELISM = 10;

  /** How many requests the benchmark itself sends at once to create or delete objects. */
  static final int SENDERS = 16;

  public static final String RELEASE = "bench";
  public static final String HELM_NAMESPACE = "bench-helm";
  public static final String HELM_ACCOUNT = "helm";
  public static final String HELM_USER =
      "system:serviceaccount:" + HELM_NAMESPACE + ":" + HELM_ACCOUNT;
  static final Path CHART = Path.of("src", "test", "resources", "charts", "bench").toAbsolutePath();

  /** The JVM options of the operator image: the chart's 512 Mi limit at MaxRAMPercentage 75. */
  static final String MAX_HEAP = "-Xmx384m";

  /** What to run: the full set, or a short one to check the harness. */
  public record Plan(
      List<Integer> scale,
      int footprintReleases,
      int configMaps,
      int secrets,
      int pods,
      Duration budget) {
    public static Plan full(Duration budget) {
      return new Plan(List.of(1, 10, 100, 500), 1000, 10_000, 10_000, 2_000, budget);
    }

    public static Plan smoke(Duration budget) {
      return new Plan(List.of(1, 10), 100, 1_000, 1_000, 200, budget);
    }

    /** This plan with other release counts. */
    public Plan withScale(List<Integer> counts) {
      return new Plan(counts, footprintReleases, configMaps, secrets, pods, budget);
    }

    /** This plan with another footprint size (0: none), the filler scaled alike. */
    public Plan withFootprint(int releases) {
      return new Plan(
          scale,
          releases,
          configMaps * releases / Math.max(1, footprintReleases),
          secrets * releases / Math.max(1, footprintReleases),
          pods * releases / Math.max(1, footprintReleases),
          budget);
    }
  }

  /**
   * Copies of one installed release ({@code dev.orderly.bench.ReleaseCopier}): every object and
   * Helm's record, and optionally the OrderedRelease with its finalizer and status, so the many
   * releases of the large runs are installed without running Helm for each.
   */
  @FunctionalInterface
  public interface Copier {
    void copyInto(KubernetesClient client, String namespace, boolean withOrderedRelease);
  }

  /** The namespace of the release the copies are made from (the copier's template). */
  public static final String TEMPLATE = "bench-template";

  /** From this many releases on, installs are copies of one operator install. */
  static final int COPIES_FROM = 10;

  /** One request the API server completed, from its audit log. */
  public record Request(
      Instant at,
      String user,
      String userAgent,
      String verb,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code,
      String uri) {
    static Request of(AuditLog.Entry e) {
      return new Request(
          e.completedAt(),
          e.actingUser(),
          e.userAgent(),
          e.verb(),
          e.group(),
          e.resource(),
          e.subresource(),
          e.namespace(),
          e.name(),
          e.code(),
          e.requestUri());
    }

    /** "verb group/resource/subresource". */
    public String kind() {
      if (resource.isEmpty()) {
        int query = uri.indexOf('?');
        return verb + " " + (query < 0 ? uri : uri.substring(0, query));
      }
      return verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resource
          + (subresource.isEmpty() ? "" : "/" + subresource);
    }

    public boolean isWrite() {
      return Set.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
    }

    @Override
    public String toString() {
      return at + " " + kind() + " " + namespace + "/" + name + " -> " + code + " by " + user;
    }
  }

  /** One side of a scale run: Orderly or Helm tearing down {@code releases} at once. */
  public record Side(
      String who,
      int wanted,
      int installed,
      int finished,
      boolean capped,
      long capSeconds,
      long wallMs,
      List<Long> perReleaseMs,
      Map<String, Integer> requests,
      int requestTotal,
      String note) {}

  /** Orderly and Helm tearing down the same number of releases of the same chart. */
  public record Scale(int releases, Side orderly, Side helm) {}

  /** Time from an event a teardown phase waited for to the operator's next action. */
  public record Gap(String waitedFor, String nextAction, long ms) {}

  /** One node-agent teardown: its duration and the operator's gaps in it. */
  public record Gaps(long teardownMs, List<Gap> gaps, int operatorRequests) {
    public long totalMs() {
      return gaps.stream().mapToLong(Gap::ms).sum();
    }
  }

  /** {@code orderly run}'s footprint, on an otherwise empty cluster and a filled one. */
  public record Footprint(
      int releases,
      int reconciled,
      long startToFirstReconcileMs,
      long startToAllReconciledMs,
      long rssKiB,
      List<Long> rssSeriesKiB,
      long filledRssKiB,
      List<Long> filledSeriesKiB,
      int configMaps,
      int secrets,
      int pods,
      long fillSeconds,
      String jvmFlags,
      String note) {}

  /** Everything measured; {@code notRun} says why nothing was when the plane was not there. */
  public record Result(
      String notRun,
      Plan plan,
      List<Scale> scale,
      String oneTeardownNamespace,
      List<Request> oneTeardown,
      Gaps gaps,
      Footprint footprint,
      List<String> problems,
      long tookSeconds) {
    public static Result notRun(String why) {
      return new Result(why, null, List.of(), null, List.of(), null, null, List.of(), 0);
    }
  }

  private final ControlPlane plane;
  private final KubernetesClient driver;
  private final Plan plan;
  private final Path work;
  private final Instant deadline;
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> gone = new ConcurrentHashMap<>();
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  private String helmKubeconfig;
  private OperatorProcess operator;

  private final Function<KubernetesClient, Copier> copies;
  private Copier copier;

  private PlaneBenchmark(
      ControlPlane plane, Plan plan, Path work, Function<KubernetesClient, Copier> copies) {
    this.copies = copies;
    this.plane = plane;
    this.driver = plane.adminAs("orderly-bench-driver");
    this.plan = plan;
    this.work = work;
    this.deadline = Instant.now().plus(plan.budget());
  }

  /**
   * Runs the plan on the plane {@code ORDERLY_E2E_KUBECONFIG} names; without one, or when {@code
   * ORDERLY_BENCH_PLANE_ERROR} says why the plane did not start, returns a result saying so.
   */
  public static Result run(Path out, Plan plan, Function<KubernetesClient, Copier> copies)
      throws Exception {
    String error = System.getenv("ORDERLY_BENCH_PLANE_ERROR");
    if (error != null && !error.isBlank()) {
      return Result.notRun(error);
    }
    var found = ControlPlane.fromEnvironment();
    if (found.isEmpty()) {
      return Result.notRun(
          "no control plane: " + ControlPlane.KUBECONFIG_ENV + " is not set (bench/run sets it)");
    }
    Path work = out.resolve("plane").toAbsolutePath();
    Files.createDirectories(work);
    // The operators append to their logs: start each run with fresh ones.
    Files.deleteIfExists(work.resolve("operator.log"));
    Files.deleteIfExists(work.resolve("footprint-operator.log"));
    try (ControlPlane plane = found.get()) {
      return new PlaneBenchmark(plane, plan, work, copies).measure();
    }
  }

  private Result measure() throws Exception {
    Instant started = Instant.now();
    Path operatorKubeconfig =
        plane.installOperatorIdentity(Path.of("operator"), work.resolve("operator.kubeconfig"));
    helmKubeconfig =
        Files.readString(
            plane.clusterAdminAccount(
                HELM_NAMESPACE, HELM_ACCOUNT, work.resolve("helm.kubeconfig")));
    List<String> nodeNames =
        IntStream.rangeClosed(1, NODES).mapToObj(i -> "bench-node-" + i).toList();
    SharedIndexInformer<OrderedRelease> releases = null;
    List<Scale> scale = new ArrayList<>();
    List<Request> oneTeardown = List.of();
    String oneNamespace = null;
    Gaps gaps = null;
    Footprint footprint = null;
    try (NodeStandIn nodes =
        new NodeStandIn(plane, nodeNames)
            .preStop(pod -> Duration.ZERO)
            .endingJobPods(pod -> new NodeStandIn.JobPodEnd(true, Duration.ZERO))
            .start()) {
      releases = driver.resources(OrderedRelease.class).inAnyNamespace().inform(recorder());
      operator =
          new OperatorProcess(
                  OperatorProcess.builtJar(), operatorKubeconfig, work, "operator", List.of())
              .withJvmArgs(MAX_HEAP)
              .start();
      gaps = step("node-agent teardown (gaps)", this::nodeAgentGaps);
      for (int count : plan.scale()) {
        if (remaining().minus(footprintReserve()).toSeconds() < least(count) / 2) {
          problems.add(
              count
                  + " releases at once: not run, the plane budget was spent ("
                  + plan.budget().toSeconds()
                  + " s)");
          continue;
        }
        Scale run =
            step(count + " releases at once, Orderly and helm uninstall", () -> scale(count));
        scale.add(run);
        if (count == 1) {
          oneNamespace = "po" + count + "-0000";
          oneTeardown = lastOneTeardown;
        }
      }
      operator.stop();
      if (plan.footprintReleases() > 0) {
        footprint = step("footprint", this::footprint);
      }
    } catch (Exception | AssertionError e) {
      problems.add("the run stopped early: " + e);
      e.printStackTrace();
    } finally {
      if (releases != null) {
        releases.stop();
      }
      if (operator != null) {
        operator.stop();
      }
      driver.close();
    }
    return new Result(
        null,
        plan,
        scale,
        oneNamespace,
        oneTeardown,
        gaps,
        footprint,
        List.copyOf(problems),
        Duration.between(started, Instant.now()).toSeconds());
  }

  private List<Request> lastOneTeardown = List.of();

  // ---- gaps -------------------------------------------------------------------------------

  private Gaps nodeAgentGaps() throws Exception {
    String ns = "gaps-node-agent";
    String name = "node-agent";
    createNamespaces(List.of(ns));
    OrderedRelease release = new OrderedRelease();
    release.getMetadata().setNamespace(ns);
    release.getMetadata().setName(name);
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath(RealClusterTest.CHARTS.resolve(name).toString()));
    release.setSpec(spec);
    driver.resource(release).create();
    awaitOrCap("node-agent Ready", Duration.ofSeconds(90), () -> ready.contains(ns + "/" + name));
    awaitOrCap(
        "node-agent pods running", Duration.ofSeconds(60), () -> pendingPods(Set.of(ns)) == 0);
    long mark = plane.audit().size();
    Instant deleted = Instant.now();
    driver.resources(OrderedRelease.class).inNamespace(ns).withName(name).delete();
    boolean done =
        awaitOrCap(
            "node-agent gone", Duration.ofSeconds(120), () -> gone.containsKey(ns + "/" + name));
    Instant end = gone.getOrDefault(ns + "/" + name, Instant.now());
    sleep(Duration.ofSeconds(2));
    List<Request> entries =
        plane.audit().entriesFrom(mark).stream()
            .filter(e -> !e.completedAt().isBefore(deleted.minusMillis(5)))
            .map(Request::of)
            .filter(r -> r.namespace().equals(ns) || r.name().startsWith(name))
            .toList();
    if (!done) {
      problems.add("the node-agent teardown did not end within 120 s; its gaps are partial");
    }
    List<Gap> list = gaps(entries, ControlPlane.OPERATOR_USER);
    int operatorRequests =
        (int) entries.stream().filter(r -> r.user().equals(ControlPlane.OPERATOR_USER)).count();
    return new Gaps(Duration.between(deleted, end).toMillis(), list, operatorRequests);
  }

  /**
   * The operator's gaps in one teardown: for each write of the operator that follows a write by
   * someone else (the user's delete, a controller, the garbage collector, the node stand-in) since
   * its own previous write, the time from the last such write to it. Reads, Events and Leases are
   * not events a phase waits for and are left out.
   */
  static List<Gap> gaps(List<Request> entries, String operatorUser) {
    List<Gap> gaps = new ArrayList<>();
    Request lastExternal = null;
    Request lastOwn = null;
    for (Request r : entries) {
      if (!r.isWrite() || r.resource().equals("events") || r.resource().equals("leases")) {
        continue;
      }
      if (r.user().equals(operatorUser)) {
        if (lastExternal != null && (lastOwn == null || lastExternal.at().isAfter(lastOwn.at()))) {
          gaps.add(
              new Gap(
                  describe(lastExternal),
                  describe(r),
                  Duration.between(lastExternal.at(), r.at()).toMillis()));
        }
        lastOwn = r;
      } else {
        lastExternal = r;
      }
    }
    return gaps;
  }

  private static String describe(Request r) {
    String who =
        r.userAgent().startsWith(NodeStandIn.USER_AGENT)
            ? "node stand-in"
            : r.user().startsWith("system:serviceaccount:kube-system:")
                ? r.user().substring("system:serviceaccount:kube-system:".length())
                : r.user().startsWith("system:serviceaccount:orderly-system")
                    ? "operator"
                    : r.userAgent().startsWith("orderly-bench-driver") ? "user" : r.user();
    return who + " " + r.kind() + " " + r.name();
  }

  // ---- scale ------------------------------------------------------------------------------

  private Scale scale(int count) throws Exception {
    List<String> orderlyNs = names("po" + count, count);
    List<String> helmNs = names("ph" + count, count);
    createNamespaces(orderlyNs);
    createNamespaces(helmNs);
    // Installs may take what is left after the teardowns' share and the footprint's reserve.
    Duration share = share(count);
    Duration installCap = percent(share, 40);
    Duration podsCap = percent(share, 15);
    Duration teardownCap = percent(share, 22);
    Instant installStart = Instant.now();
    Set<String> helmInstalled = ConcurrentHashMap.newKeySet();
    if (count >= COPIES_FROM) {
      copy(orderlyNs, helmNs, installStart.plus(installCap), helmInstalled);
    } else {
      parallel(SENDERS, orderlyNs, ns -> driver.resource(release(ns, false)).create());
    }
    Set<String> wantedReady = Set.copyOf(orderlyNs.stream().map(ns -> ns + "/" + RELEASE).toList());
    awaitOrCap(
        count + " OrderedReleases Ready",
        percent(installCap, 60),
        () -> wantedReady.stream().allMatch(ready::contains));
    List<String> orderlyInstalled =
        orderlyNs.stream().filter(ns -> ready.contains(ns + "/" + RELEASE)).toList();
    if (count < COPIES_FROM) {
      // Helm gets what the operator's installs left of the install cap, and at least 40% of it.
      Instant helmInstallCap = installStart.plus(installCap);
      Instant floor = Instant.now().plus(percent(installCap, 40));
      helmInstallCap = helmInstallCap.isBefore(floor) ? floor : helmInstallCap;
      runUntil(
          HELM_PARALLELISM,
          helmNs,
          helmInstallCap,
          ns -> {
            new Helm(CHART)
                .install()
                .withName(RELEASE)
                .withNamespace(ns)
                .withKubeConfigContents(helmKubeconfig)
                .call();
            helmInstalled.add(ns);
          });
    }
    Set<String> all = new HashSet<>(orderlyInstalled);
    all.addAll(helmInstalled);
    awaitOrCap("pods of " + all.size() + " releases running", podsCap, () -> pendingPods(all) == 0);
    List<String> helmList = helmNs.stream().filter(helmInstalled::contains).toList();

    Side orderly = orderlyTeardown(count, orderlyInstalled, teardownCap);
    Side helm = helmTeardown(count, helmList, teardownCap);
    return new Scale(count, orderly, helm);
  }

  /**
   * Installs the template with the operator, then, with the operator stopped, copies it into {@code
   * orderly} (with OrderedReleases) and {@code helm} (Helm releases only); returns once the
   * restarted operator has looked at every copy.
   */
  private void copy(List<String> orderly, List<String> helm, Instant until, Set<String> helmCopied)
      throws Exception {
    if (copier == null) {
      createNamespaces(List.of(TEMPLATE));
      driver.resource(release(TEMPLATE, false)).create();
      awaitOrCap(
          "the template release Ready",
          Duration.ofSeconds(120),
          () -> ready.contains(TEMPLATE + "/" + RELEASE));
      copier = copies.apply(driver);
    }
    operator.stop();
    Set<String> copied = ConcurrentHashMap.newKeySet();
    // Half the time for each side; what is not copied by then is not installed.
    Instant half = Instant.now().plus(Duration.between(Instant.now(), until).dividedBy(2));
    runUntil(
        SENDERS,
        orderly,
        half,
        ns -> {
          copier.copyInto(driver, ns, true);
          copied.add(ns);
        });
    runUntil(
        SENDERS,
        helm,
        until,
        ns -> {
          copier.copyInto(driver, ns, false);
          helmCopied.add(ns);
        });
    if (copied.size() < orderly.size() || helmCopied.size() < helm.size()) {
      problems.add(
          String.format(
              "%d releases: the install cap came first: %d of %d OrderedReleases and %d of %d Helm"
                  + " releases copied",
              orderly.size(), copied.size(), orderly.size(), helmCopied.size(), helm.size()));
    }
    operator.start();
    awaitOrCap(
        "the operator looked at " + copied.size() + " copies",
        Duration.ofSeconds(Math.max(60, copied.size() / 2)),
        () -> reconciled(operator.metrics()) >= copied.size());
  }

  /** Successful reconciliations so far, from the operator's metrics. */
  static long reconciled(String metrics) {
    Matcher m =
        Pattern.compile(
                "(?m)^orderly_reconciliations_total\\{[^}]*outcome=\"success\"[^}]*\\} ([0-9.eE+]+)")
            .matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  private Side orderlyTeardown(int wanted, List<String> namespaces, Duration cap) throws Exception {
    long mark = plane.audit().size();
    Instant t0 = Instant.now();
    parallel(
        SENDERS,
        namespaces,
        ns -> driver.resources(OrderedRelease.class).inNamespace(ns).withName(RELEASE).delete());
    boolean done =
        awaitOrCap(
            wanted + " OrderedReleases gone",
            cap,
            () -> namespaces.stream().allMatch(ns -> gone.containsKey(ns + "/" + RELEASE)));
    Instant end = Instant.now();
    List<Long> per = new ArrayList<>();
    Instant last = t0;
    for (String ns : namespaces) {
      Instant at = gone.get(ns + "/" + RELEASE);
      if (at != null) {
        per.add(Duration.between(t0, at).toMillis());
        last = at.isAfter(last) ? at : last;
      }
    }
    sleep(Duration.ofSeconds(2));
    List<Request> window = window(mark, t0, done ? last : end);
    List<Request> operatorRequests =
        window.stream().filter(r -> r.user().equals(ControlPlane.OPERATOR_USER)).toList();
    if (wanted == 1 && !namespaces.isEmpty()) {
      String ns = namespaces.get(0);
      lastOneTeardown =
          operatorRequests.stream()
              .filter(r -> r.namespace().equals(ns) || r.name().equals(ns + "-" + RELEASE))
              .toList();
    }
    return side(
        "Orderly",
        wanted,
        namespaces.size(),
        per,
        !done,
        cap,
        Duration.between(t0, done ? last : end).toMillis(),
        operatorRequests,
        "OrderedReleases deleted at once from "
            + SENDERS
            + " threads; per release: from the first delete to the object gone (watch)");
  }

  private Side helmTeardown(int wanted, List<String> namespaces, Duration cap) throws Exception {
    long mark = plane.audit().size();
    Instant t0 = Instant.now();
    Map<String, Instant> done = new ConcurrentHashMap<>();
    boolean finished =
        runUntil(
            HELM_PARALLELISM,
            namespaces,
            t0.plus(cap),
            ns -> {
              Helm.uninstall(RELEASE)
                  .withNamespace(ns)
                  .withKubeConfigContents(helmKubeconfig)
                  .call();
              done.put(ns, Instant.now());
            });
    Instant end = Instant.now();
    List<Long> per = new ArrayList<>();
    Instant last = t0;
    for (Instant at : done.values()) {
      per.add(Duration.between(t0, at).toMillis());
      last = at.isAfter(last) ? at : last;
    }
    sleep(Duration.ofSeconds(2));
    List<Request> helmRequests =
        window(mark, t0, finished ? last : end).stream()
            .filter(r -> r.user().equals(HELM_USER))
            .toList();
    return side(
        "helm uninstall",
        wanted,
        namespaces.size(),
        per,
        !finished,
        cap,
        Duration.between(t0, finished ? last : end).toMillis(),
        helmRequests,
        "helm-java uninstall, "
            + HELM_PARALLELISM
            + " at a time; per release: from the start of the batch to its uninstall's return");
  }

  private static Side side(
      String who,
      int wanted,
      int installed,
      List<Long> per,
      boolean capped,
      Duration cap,
      long wallMs,
      List<Request> requests,
      String note) {
    Map<String, Integer> byKind = new TreeMap<>();
    requests.forEach(r -> byKind.merge(r.kind(), 1, Integer::sum));
    List<Long> sorted = new ArrayList<>(per);
    sorted.sort(Long::compare);
    return new Side(
        who,
        wanted,
        installed,
        per.size(),
        capped,
        cap.toSeconds(),
        wallMs,
        sorted,
        byKind,
        requests.size(),
        note);
  }

  private List<Request> window(long mark, Instant from, Instant to) {
    return plane.audit().entriesFrom(mark).stream()
        .filter(
            e -> !e.completedAt().isBefore(from) && !e.completedAt().isAfter(to.plusMillis(500)))
        .map(Request::of)
        .toList();
  }

  /**
   * The budget share of a scale run (installs, then both teardowns): what it wants, but no more
   * than leaves the later runs their least and the footprint its reserve; the last gets the rest.
   */
  private Duration share(int count) {
    long left = remaining().minus(footprintReserve()).toSeconds();
    long laterNeeds = plan.scale().stream().filter(c -> c > count).mapToLong(c -> least(c)).sum();
    boolean last = plan.scale().stream().noneMatch(c -> c > count);
    long wanted = last ? left : count <= 1 ? 120 : count <= 10 ? 240 : 420;
    return Duration.ofSeconds(Math.max(least(count) / 2, Math.min(wanted, left - laterNeeds)));
  }

  private static long least(int count) {
    return count <= 1 ? 60 : count <= 10 ? 90 : count <= 100 ? 180 : 240;
  }

  private Duration footprintReserve() {
    return Duration.ofSeconds(
        60
            + plan.footprintReleases() / 20
            + (plan.configMaps() + plan.secrets() + plan.pods()) / 200);
  }

  // ---- footprint --------------------------------------------------------------------------

  private Footprint footprint() throws Exception {
    int count = plan.footprintReleases();
    List<String> namespaces = names("fp", Math.max(1, count / 10));
    createNamespaces(namespaces);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(namespaces.get(i % namespaces.size()) + "/rel-" + String.format("%04d", i));
    }
    parallel(
        SENDERS,
        keys,
        key -> {
          String[] parts = key.split("/");
          OrderedRelease release = release(parts[0], true);
          release.getMetadata().setName(parts[1]);
          // As a restarted operator finds them: already holding the finalizer.
          release.getMetadata().setFinalizers(List.of(OrderedRelease.FINALIZER));
          driver.resource(release).create();
        });
    Set<String> suspended = ConcurrentHashMap.newKeySet();
    AtomicReference<Instant> first = new AtomicReference<>();
    SharedIndexInformer<OrderedRelease> watch =
        driver
            .resources(OrderedRelease.class)
            .inAnyNamespace()
            .inform(
                handler(
                    r -> {
                      if (r.getStatus() != null && "Suspended".equals(r.getStatus().getPhase())) {
                        first.compareAndSet(null, Instant.now());
                        suspended.add(
                            r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
                      }
                    }));
    OperatorProcess fp =
        new OperatorProcess(
                OperatorProcess.builtJar(),
                work.resolve("operator.kubeconfig"),
                work,
                "footprint-operator",
                List.of())
            .withJvmArgs(MAX_HEAP);
    try {
      Instant start = Instant.now();
      fp.launch();
      awaitOrCap(
          "first reconcile", Duration.ofSeconds(120), () -> first.get() != null || !fp.alive());
      awaitOrCap(
          count + " suspended releases reconciled",
          Duration.ofSeconds(180),
          () -> suspended.containsAll(keys) || !fp.alive());
      Instant all = Instant.now();
      if (!fp.alive()) {
        throw new IllegalStateException("the footprint operator exited; see " + fp.log());
      }
      List<Long> empty = rssSeries(fp.pid(), Duration.ofSeconds(10));
      Instant fillStart = Instant.now();
      fill();
      long fillSeconds = Duration.between(fillStart, Instant.now()).toSeconds();
      // Let the informers take in what was added before reading.
      List<Long> filled = rssSeries(fp.pid(), Duration.ofSeconds(20));
      return new Footprint(
          count,
          suspended.size(),
          first.get() == null ? -1 : Duration.between(start, first.get()).toMillis(),
          Duration.between(start, all).toMillis(),
          empty.get(empty.size() - 1),
          empty,
          filled.get(filled.size() - 1),
          filled,
          plan.configMaps(),
          plan.secrets(),
          plan.pods(),
          fillSeconds,
          MAX_HEAP,
          "a fresh `orderly run` process (the packaged jar, the operator's ServiceAccount) started"
              + " after "
              + count
              + " suspended OrderedReleases (spec.suspend, finalizer set) were created in "
              + namespaces.size()
              + " namespaces; resident memory (VmRSS) read every second, the last value kept, 10 s"
              + " after all were reconciled and 20 s after the filler objects were created; no"
              + " forced GC");
    } finally {
      watch.stop();
      fp.stop();
    }
  }

  /** Unrelated objects: ConfigMaps, Secrets and Pods no scheduler takes (so they stay Pending). */
  private void fill() throws Exception {
    List<String> namespaces = names("filler", 20);
    createNamespaces(namespaces);
    String payload = "x".repeat(256);
    List<Integer> cms = IntStream.range(0, plan.configMaps()).boxed().toList();
    parallel(
        SENDERS * 2,
        cms,
        i ->
            driver
                .configMaps()
                .inNamespace(namespaces.get(i % namespaces.size()))
                .resource(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("cm-" + i)
                        .addToLabels("app", "filler")
                        .endMetadata()
                        .addToData("value", payload)
                        .build())
                .create());
    parallel(
        SENDERS * 2,
        IntStream.range(0, plan.secrets()).boxed().toList(),
        i ->
            driver
                .secrets()
                .inNamespace(namespaces.get(i % namespaces.size()))
                .resource(
                    new SecretBuilder()
                        .withNewMetadata()
                        .withName("secret-" + i)
                        .addToLabels("app", "filler")
                        .endMetadata()
                        .addToStringData("value", payload)
                        .build())
                .create());
    parallel(
        SENDERS * 2,
        IntStream.range(0, plan.pods()).boxed().toList(),
        i ->
            driver
                .pods()
                .inNamespace(namespaces.get(i % namespaces.size()))
                .resource(
                    new PodBuilder()
                        .withNewMetadata()
                        .withName("pod-" + i)
                        .addToLabels("app", "filler")
                        .endMetadata()
                        .withNewSpec()
                        .withSchedulerName("no-such-scheduler")
                        .addNewContainer()
                        .withName("app")
                        .withImage("registry.example.com/filler:1")
                        .endContainer()
                        .endSpec()
                        .build())
                .create());
  }

  static List<Long> rssSeries(long pid, Duration span) {
    List<Long> series = new ArrayList<>();
    for (long s = 0; s < span.toSeconds(); s++) {
      series.add(rssKiB(pid));
      sleep(Duration.ofSeconds(1));
    }
    series.add(rssKiB(pid));
    return series;
  }

  static long rssKiB(long pid) {
    try {
      String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
      Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private ResourceEventHandler<OrderedRelease> recorder() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(OrderedRelease r) {
        onUpdate(null, r);
      }

      @Override
      public void onUpdate(OrderedRelease before, OrderedRelease r) {
        if (r.getStatus() != null
            && r.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
          ready.add(key(r));
        }
      }

      @Override
      public void onDelete(OrderedRelease r, boolean unknown) {
        gone.putIfAbsent(key(r), Instant.now());
      }
    };
  }

  private static ResourceEventHandler<OrderedRelease> handler(Consumer<OrderedRelease> seen) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(OrderedRelease r) {
        seen.accept(r);
      }

      @Override
      public void onUpdate(OrderedRelease before, OrderedRelease r) {
        seen.accept(r);
      }

      @Override
      public void onDelete(OrderedRelease r, boolean unknown) {}
    };
  }

  private static String key(OrderedRelease r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  static OrderedRelease release(String namespace, boolean suspend) {
    OrderedRelease release = new OrderedRelease();
    release.getMetadata().setNamespace(namespace);
    release.getMetadata().setName(RELEASE);
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath(CHART.toString()));
    spec.setSuspend(suspend);
    release.setSpec(spec);
    return release;
  }

  private long pendingPods(Set<String> namespaces) {
    return driver.pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> namespaces.contains(p.getMetadata().getNamespace()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(PlaneBenchmark::notRunning)
        .count();
  }

  private static boolean notRunning(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !"Running".equals(phase) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private void createNamespaces(List<String> namespaces) throws Exception {
    parallel(
        SENDERS,
        namespaces,
        ns ->
            driver
                .namespaces()
                .resource(
                    new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .createOr(existing -> existing.update()));
  }

  static List<String> names(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format("%s-%04d", prefix, i)).toList();
  }

  /** Runs {@code action} on each item from {@code threads} threads; fails on the first error. */
  private <T> void parallel(int threads, List<T> items, ThrowingConsumer<T> action)
      throws Exception {
    AtomicInteger failures = new AtomicInteger();
    List<String> errors = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (T item : items) {
        pool.execute(
            () -> {
              try {
                action.accept(item);
              } catch (Exception e) {
                if (failures.incrementAndGet() <= 3) {
                  errors.add(item + ": " + e.getMessage());
                }
              }
            });
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.MINUTES);
    }
    if (failures.get() > 0) {
      problems.add(failures.get() + " of " + items.size() + " requests failed, e.g. " + errors);
    }
  }

  /**
   * Runs {@code action} on each item from {@code threads} threads until {@code until}; returns
   * whether all finished by then (those still running are left to finish on their own).
   */
  private <T> boolean runUntil(
      int threads, List<T> items, Instant until, ThrowingConsumer<T> action)
      throws InterruptedException {
    AtomicInteger failures = new AtomicInteger();
    List<String> errors = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (T item : items) {
      pool.execute(
          () -> {
            if (Instant.now().isAfter(until)) {
              return;
            }
            try {
              action.accept(item);
            } catch (Exception e) {
              if (failures.incrementAndGet() <= 3) {
                errors.add(item + ": " + e.getMessage());
              }
            }
          });
    }
    pool.shutdown();
    long wait = Math.max(1, Duration.between(Instant.now(), until).toMillis());
    boolean all = pool.awaitTermination(wait, TimeUnit.MILLISECONDS);
    if (failures.get() > 0) {
      problems.add(failures.get() + " of " + items.size() + " Helm calls failed, e.g. " + errors);
    }
    return all && failures.get() == 0;
  }

  @FunctionalInterface
  interface ThrowingConsumer<T> {
    void accept(T item) throws Exception;
  }

  /**
   * Waits until {@code condition} holds or {@code cap} passes; a cap reached is a problem noted.
   */
  private boolean awaitOrCap(String what, Duration cap, BooleanSupplier condition) {
    Instant until = Instant.now().plus(cap);
    while (Instant.now().isBefore(until)) {
      try {
        if (condition.getAsBoolean()) {
          return true;
        }
      } catch (KubernetesClientException e) {
        // The server is busy; look again.
      }
      sleep(Duration.ofMillis(100));
    }
    boolean met = condition.getAsBoolean();
    if (!met) {
      problems.add(what + ": not reached within the " + cap.toSeconds() + " s cap");
    }
    return met;
  }

  private Duration remaining() {
    return Duration.between(Instant.now(), deadline);
  }

  private static Duration percent(Duration d, int percent) {
    return Duration.ofMillis(d.toMillis() * percent / 100);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T step(String name, Callable<T> work) throws Exception {
    Instant start = Instant.now();
    System.out.printf("[plane %s] %s...%n", start, name);
    T result = work.call();
    System.out.printf(
        "[plane] %s took %.1f s%n",
        name, Duration.between(start, Instant.now()).toMillis() / 1000.0);
    return result;
  }
}
