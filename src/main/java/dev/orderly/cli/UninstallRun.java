package dev.orderly.cli;

import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions;
import dev.orderly.helm.ReleaseSecrets;
import dev.orderly.kube.ApiErrors;
import dev.orderly.kube.ClusterDiscovery;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.ReleaseClaims;
import dev.orderly.kube.StepObserver;
import dev.orderly.kube.TeardownLedgerStore;
import dev.orderly.reconciler.Backoff;
import dev.orderly.reconciler.HelmOperations;
import dev.orderly.reconciler.TeardownEngine;
import dev.orderly.reconciler.TeardownExecutor;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.PhaseDecision;
import dev.orderly.teardown.PhaseDecision.Notice;
import dev.orderly.teardown.TeardownBlocked;
import dev.orderly.teardown.TeardownLedger;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line's driver of the teardown engine: the same phases, rules and actions as the
 * operator ({@link TeardownEngine}, {@link TeardownExecutor}), for a Helm release no OrderedRelease
 * manages. It observes, decides and acts in a loop, and between looks waits for a watch event or a
 * short bounded time: a command may block, the operator may not. Progress goes to a ledger Secret
 * next to Helm's record ({@link TeardownLedger#uninstallSecretName}), labelled with this teardown's
 * id, so the same command run again resumes where a run stopped, and the hooks it created (labelled
 * with the same id) are adopted rather than run again.
 */
final class UninstallRun implements AutoCloseable {
  /** The longest wait between looks: what no watch reports (RBAC, ConfigMaps) is seen this soon. */
  static final Duration MAX_WAIT = Duration.ofSeconds(2);

  /** Prefix of this teardown's id, the value of {@code orderly.dev/teardown-of} on its hooks. */
  static final String ID_PREFIX = "uninstall-";

  private static final int MAX_TRANSIENT_FAILURES = 5;

  private final KubernetesClient client;
  private final UninstallArgs args;
  private final String target;
  private final UninstallProgress progress;
  private final UninstallCommand.Environment environment;
  private final ClusterObjects objects;
  private final TeardownLedgerStore ledgers;
  private final TeardownExecutor executor;
  private final TeardownEngine engine;
  private final HelmOperations operations;
  private final String ledgerName;
  private OrderedRelease working;
  private String id;
  private String savedRecord;
  private String ledgerVersion;
  // Whether the run began: after this, an API error ends as a failure that can be resumed.
  private boolean started;

  UninstallRun(
      KubernetesClient client,
      UninstallArgs args,
      String target,
      UninstallProgress progress,
      UninstallCommand.Environment environment) {
    this.client = client;
    this.args = args;
    this.target = target;
    this.progress = progress;
    this.environment = environment;
    this.objects = new ClusterObjects(client);
    this.ledgers = new TeardownLedgerStore(client);
    this.ledgerName = TeardownLedger.uninstallSecretName(args.release());
    ClusterDiscovery discovery =
        new ClusterDiscovery(client, environment.clock(), ClusterDiscovery.DEFAULT_MAX_AGE);
    // Never asked here: only the operator's own installs and upgrades run in its pool, and a
    // pool starts no thread until given work.
    this.operations = new HelmOperations(1, environment.clock());
    this.executor =
        new TeardownExecutor(
            objects,
            discovery,
            new StepObserver(objects),
            operations,
            new ProgressEvents(progress, environment),
            environment.clock(),
            new ReleaseClaims(client));
    this.engine = new TeardownEngine(executor);
  }

  @Override
  public void close() {
    operations.close();
  }

  /**
   * Runs the teardown to its end, a failure or an interruption; returns the exit status. An API
   * error ends it as a failure ({@link UninstallCommand#FAILED}), progress saved and the command
   * that resumes printed, unless the cluster could not be reached at all before anything started.
   *
   * @throws KubernetesClientException when the cluster could not be reached before anything started
   *     (no HTTP answer), for exit status 2
   */
  int run() {
    try {
      return start();
    } catch (KubernetesClientException e) {
      if (!started && (e.getCode() <= 0 || e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED)) {
        throw e;
      }
      return apiFailure(e, "");
    }
  }

  private int start() {
    String release = args.release();
    String namespace = args.namespace();
    Optional<Secret> ledger = ledgers.read(namespace, ledgerName);
    List<Secret> records = objects.releaseSecrets(namespace, release);
    UninstallRefusals refusals = new UninstallRefusals(client, args, ledgerName);
    Optional<String> refusal = refusals.managedByOrderedRelease(release(null), records);
    if (refusal.isPresent()) {
      progress.failed(null, "ManagedByOrderedRelease", refusal.get(), List.of(), null);
      return UninstallCommand.FAILED;
    }
    Optional<String> stale = ledger.flatMap(secret -> refusals.staleLedger(secret, records));
    if (stale.isPresent()) {
      progress.failed(null, UninstallRefusals.STALE_LEDGER, stale.get(), List.of(), null);
      return UninstallCommand.FAILED;
    }
    if (args.dryRun()) {
      return UninstallCommand.dryRun(client, args, ledger.isPresent(), progress);
    }
    TeardownPhase resumedIn = null;
    TeardownStatus teardown;
    if (ledger.isPresent()) {
      Secret secret = ledger.get();
      Map<String, String> labels = secret.getMetadata().getLabels();
      id = labels == null ? null : labels.get(TeardownLedger.TEARDOWN_OF);
      try {
        teardown = TeardownLedgerStore.decode(secret);
      } catch (IllegalArgumentException unreadable) {
        progress.failed(
            null,
            TeardownBlocked.unreadableLedger(unreadable).reason(),
            unreadable.getMessage()
                + "; delete Secret "
                + namespace
                + "/"
                + ledgerName
                + " to start the uninstall afresh (hooks that ran may run again)",
            List.of(),
            null);
        return UninstallCommand.FAILED;
      }
      if (id == null) {
        id = ID_PREFIX + secret.getMetadata().getUid();
      }
      ledgerVersion = secret.getMetadata().getResourceVersion();
      savedRecord = TeardownLedger.recordJson(teardown);
      resumedIn = teardown.getPhase();
      working = release(id);
      if (teardown.getDeadline() != null) {
        // A run is resumed to try again, often after a timeout: the phase gets its time anew.
        Duration timeout = Durations.parse(args.uninstall().getTimeout(), Duration.ofMinutes(10));
        teardown.setDeadline(environment.clock().instant().plus(timeout).toString());
      }
    } else {
      Optional<Secret> latest = ReleaseSecrets.latest(release, records);
      if (latest.isEmpty()) {
        progress.failed(
            null,
            "ReleaseNotFound",
            "no Helm release " + release + " in namespace " + namespace + ": nothing to uninstall",
            List.of(),
            null);
        return UninstallCommand.FAILED;
      }
      // Stable for this release's teardown: kept in the ledger's label for every later run.
      id = ID_PREFIX + latest.get().getMetadata().getUid();
      working = release(id);
      try {
        teardown = executor.begin(working, environment.clock().instant());
      } catch (TeardownBlocked blocked) {
        progress.failed(null, blocked.reason(), blocked.getMessage(), List.of(), null);
        return UninstallCommand.FAILED;
      }
    }
    working.getStatus().setTeardown(teardown);
    started = true;
    progress.start(release, namespace, target, resumedIn);
    if (args.cascade() != UninstallOptions.Propagation.Foreground) {
      progress.notice(
          true,
          "BackgroundCascade",
          "--cascade background: Kubernetes reports a workload gone while its pods still run, so"
              + " the RBAC of DaemonSet and workload pods may be deleted under them");
    }
    save();
    if (teardown.getPhase() != TeardownPhase.Done) {
      progress.phaseStarted(teardown.getPhase());
    }
    try (UninstallCommand.Waiter waiter = environment.wakeUps().open(client, namespace)) {
      environment.interruption().onRequest(waiter::wake);
      return loop(waiter);
    }
  }

  private int loop(UninstallCommand.Waiter waiter) {
    TeardownStatus teardown = working.getStatus().getTeardown();
    TeardownEngine.Settings settings =
        new TeardownEngine.Settings(
            args.uninstall(), args.uninstall().isKeepHistory(), args.cascade(), false, false);
    int transientFailures = 0;
    boolean askedAgain = false;
    while (teardown.getPhase() != TeardownPhase.Done) {
      if (environment.interruption().requested()) {
        saveRetrying(waiter);
        progress.interrupted(teardown.getPhase(), args.command());
        return UninstallCommand.INTERRUPTED;
      }
      TeardownEngine.Pass pass;
      try {
        pass =
            engine.pass(
                working,
                settings,
                environment.clock().instant(),
                this::save,
                environment.crashPoints());
        transientFailures = 0;
      } catch (KubernetesClientException e) {
        if (!ApiErrors.isTransient(e)) {
          return apiFailure(e, "");
        }
        if (++transientFailures > MAX_TRANSIENT_FAILURES) {
          return apiFailure(e, transientFailures + " transient API errors in a row, the last: ");
        }
        progress.notice(true, "TransientApiError", "retrying: " + e.getMessage());
        waiter.await(Backoff.afterTransient(transientFailures));
        continue;
      }
      PhaseDecision decision = pass.decision();
      for (Notice notice : decision.notices()) {
        if (decision.outcome() != PhaseDecision.Outcome.Stalled
            || !notice.message().equals(decision.message())) {
          progress.notice(notice.warning(), notice.reason(), notice.message());
        }
      }
      if (pass.complete()) {
        Duration took =
            TeardownEngine.advance(teardown, args.uninstall(), environment.clock().instant());
        saveRetrying(waiter);
        progress.phaseFinished(pass.phase(), took);
        if (teardown.getPhase() != TeardownPhase.Done) {
          progress.phaseStarted(teardown.getPhase());
        }
        continue;
      }
      saveRetrying(waiter);
      boolean stalled = decision.outcome() == PhaseDecision.Outcome.Stalled;
      if (stalled && pass.acted() && !askedAgain) {
        // A stall asks again (a refused delete is sent again): whether that worked is seen in
        // the next look, e.g. after the cause was fixed and the command run again.
        askedAgain = true;
        continue;
      }
      askedAgain = false;
      if (stalled) {
        progress.failed(
            pass.phase(),
            decision.reason(),
            decision.message(),
            unfinished(teardown, pass.phase()),
            args.command());
        return UninstallCommand.FAILED;
      }
      int pods = pass.observed().values().stream().mapToInt(Observed::remainingPods).sum();
      if (pods > 0 || pass.phase() == TeardownPhase.DaemonSets) {
        progress.podsTerminating(pass.phase(), pods);
      }
      progress.waiting(pass.phase(), decision.message(), until(teardown, pass.phase()));
      if (!pass.acted()) {
        Duration recheck = decision.recheckAfter();
        waiter.await(recheck.compareTo(MAX_WAIT) < 0 ? recheck : MAX_WAIT);
      }
    }
    ledgers.delete(args.namespace(), ledgerName);
    progress.done(
        args.release(),
        Duration.between(Instant.parse(teardown.getStartedAt()), environment.clock().instant()));
    return UninstallCommand.DONE;
  }

  /**
   * {@link #save()}, a transient API error tried again after the usual backoff, up to {@link
   * #MAX_TRANSIENT_FAILURES} times; the saves before acting are retried with their look.
   */
  private void saveRetrying(UninstallCommand.Waiter waiter) {
    for (int failures = 1; ; failures++) {
      try {
        save();
        return;
      } catch (KubernetesClientException e) {
        if (!ApiErrors.isTransient(e) || failures > MAX_TRANSIENT_FAILURES) {
          throw e;
        }
        progress.notice(true, "TransientApiError", "retrying the save: " + e.getMessage());
        waiter.await(Backoff.afterTransient(failures));
      }
    }
  }

  /**
   * Writes the teardown to its ledger when it changed. Once the release's own namespace is being
   * emptied the ledger may be gone with it; the run then goes on without one.
   */
  private void save() {
    TeardownStatus teardown = working.getStatus().getTeardown();
    String record = TeardownLedger.recordJson(teardown);
    if (record.equals(savedRecord)) {
      return;
    }
    try {
      ledgerVersion =
          ledgers.write(
              args.namespace(), ledgerName, id, TeardownLedger.compress(record), ledgerVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        throw new ConcurrentUninstall(
            "Secret "
                + args.namespace()
                + "/"
                + ledgerName
                + " changed under this run: another orderly uninstall of release "
                + args.release()
                + " is running; let it finish, or stop it and run this command again");
      }
      boolean namespaceGoing =
          teardown.getPhase() == TeardownPhase.Namespaces
              && (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND
                  || e.getCode() == HttpURLConnection.HTTP_FORBIDDEN);
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND && !namespaceGoing) {
        writeLostLedger(record);
      } else if (!namespaceGoing) {
        throw e;
      }
    }
    savedRecord = record;
  }

  /**
   * Writes the progress again when its Secret was deleted under this run: without it, a later run
   * would plan afresh and run the hooks that already ran.
   */
  private void writeLostLedger(String record) {
    ledgerVersion =
        ledgers.write(args.namespace(), ledgerName, id, TeardownLedger.compress(record), null);
    progress.notice(
        true,
        "ProgressSecretRecreated",
        "Secret "
            + args.namespace()
            + "/"
            + ledgerName
            + " was deleted during this run; written again from this run's progress");
  }

  /**
   * Ends the run on an API error it cannot go on from: saves the progress if it can, then says in
   * which phase, which request and why, and the command that resumes.
   *
   * @param preface what comes before the server's answer in the message, e.g. how many tries
   */
  private int apiFailure(KubernetesClientException e, String preface) {
    TeardownPhase phase = null;
    String kept = "";
    if (started) {
      phase = working.getStatus().getTeardown().getPhase();
      try {
        save();
        kept = "; progress is saved in Secret " + args.namespace() + "/" + ledgerName;
      } catch (RuntimeException notSaved) {
        kept =
            "; progress could not be saved ("
                + String.valueOf(notSaved.getMessage()).lines().findFirst().orElse("")
                + "), Secret "
                + args.namespace()
                + "/"
                + ledgerName
                + " keeps the last saved state";
      }
    }
    Optional<String> request = failedRequest(e);
    String answer;
    if (e.getCode() > 0) {
      String server =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : String.valueOf(e.getMessage());
      answer =
          "the API server answered "
              + e.getCode()
              + " ("
              + server.lines().findFirst().orElse("").trim()
              + ")"
              + (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN
                  ? "; the kubeconfig's user lacks that permission"
                  : "");
    } else {
      answer = "the API server could not be reached (" + CommandFailure.rootCause(e) + ")";
    }
    String message = preface + request.map(r -> r + ": ").orElse("") + answer + kept;
    progress.failed(phase, API_ERROR, message, request.stream().toList(), args.command());
    return UninstallCommand.FAILED;
  }

  /** The reason of a run ended by an API error. */
  static final String API_ERROR = "ApiError";

  private static final Pattern FAILED_REQUEST =
      Pattern.compile("Failure executing: (\\S+) at: (\\S+?)\\.(?:\\s|$)");

  /**
   * The request fabric8 names in its message, as {@code METHOD /path}, without server and query.
   */
  static Optional<String> failedRequest(KubernetesClientException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Matcher m = FAILED_REQUEST.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        try {
          String path = URI.create(m.group(2)).getRawPath();
          return Optional.of(m.group(1) + " " + path);
        } catch (IllegalArgumentException unparsable) {
          return Optional.of(m.group(1) + " " + m.group(2));
        }
      }
    }
    return Optional.empty();
  }

  /** Another run writes the same ledger: this one stops, leaving it to that one. */
  static final class ConcurrentUninstall extends RuntimeException {
    ConcurrentUninstall(String message) {
      super(message);
    }
  }

  /**
   * The OrderedRelease the engine's hands take: it names the release and carries the options and
   * this teardown's id. It exists only in this process; nothing about it is sent to the cluster.
   */
  private OrderedRelease release(String uid) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(
        new ObjectMetaBuilder()
            .withName(args.release())
            .withNamespace(args.namespace())
            .withUid(uid)
            .build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setReleaseName(args.release());
    spec.setTargetNamespace(args.namespace());
    spec.setUninstall(args.uninstall());
    release.setSpec(spec);
    release.setStatus(new OrderedReleaseStatus());
    return release;
  }

  /** Until when the phase may take: the object phases' deadline, or the running hooks' timeout. */
  private Instant until(TeardownStatus teardown, TeardownPhase phase) {
    boolean hooks = phase == TeardownPhase.PreDeleteHooks || phase == TeardownPhase.PostDeleteHooks;
    if (!hooks) {
      return teardown.getDeadline() == null ? null : Instant.parse(teardown.getDeadline());
    }
    Duration hookTimeout =
        Durations.parse(args.uninstall().getHookTimeout(), Duration.ofMinutes(5));
    return teardown.getSteps().stream()
        .filter(step -> step.getPhase() == phase && step.isHook())
        .filter(step -> step.getState() == TeardownStep.State.InProgress)
        .filter(step -> step.getStartedAt() != null)
        .map(step -> Instant.parse(step.getStartedAt()).plus(hookTimeout))
        .min(Instant::compareTo)
        .orElse(null);
  }

  /** The steps of {@code phase} not finished well, each with what was said about it. */
  private static List<String> unfinished(TeardownStatus teardown, TeardownPhase phase) {
    return teardown.getSteps().stream()
        .filter(step -> step.getPhase() == phase)
        .filter(
            step ->
                !step.isFinished()
                    || step.getState() == TeardownStep.State.Failed
                    || step.getState() == TeardownStep.State.TimedOut)
        .map(
            step ->
                step.describe()
                    + ": "
                    + step.getState()
                    + (step.getMessage() == null ? "" : " (" + step.getMessage() + ")"))
        .toList();
  }

  /** The engine's Events, shown as notices: there is no OrderedRelease to record them on. */
  private static final class ProgressEvents extends EventRecorder {
    private final UninstallProgress progress;

    ProgressEvents(UninstallProgress progress, UninstallCommand.Environment environment) {
      super(null, environment.clock(), "orderly-uninstall");
      this.progress = progress;
    }

    @Override
    public void record(HasMetadata about, Type type, String reason, String message) {
      progress.notice(type == Type.Warning, reason, message);
    }
  }
}
