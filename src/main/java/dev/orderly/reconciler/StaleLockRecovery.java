package dev.orderly.reconciler;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.HelmFailure;
import dev.orderly.helm.PendingLock;
import dev.orderly.helm.PendingLock.Fresh;
import dev.orderly.helm.PendingLock.Stale;
import dev.orderly.helm.PendingLock.Undated;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees a release from Helm's lock when a crash or a lost lease left its latest record pending.
 * Called on the Helm thread at the start of an install or upgrade: {@link HelmOperations} runs one
 * operation per OrderedRelease, so none other of this process holds the lock then, and a record
 * pending for longer than the operation's timeout is nobody's. {@link PendingLock} decides.
 */
public class StaleLockRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(StaleLockRecovery.class);
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final EventRecorder events;
  private final Clock clock;

  public StaleLockRecovery(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * Removes a stale pending record of {@code resource}'s release, recording a Warning Event. The
   * records are read and the stale one deleted through {@code objects}: the release's own calls
   * (its ServiceAccount's when it has one), as Helm's would be.
   *
   * @throws HelmFailure (retriable) when the record is pending but not yet stale, saying when it
   *     will be; (stalled) when it carries no time at all
   */
  public void clear(OrderedRelease resource, ClusterObjects objects) {
    String release = resource.releaseName();
    String namespace = resource.targetNamespace();
    Duration install =
        Durations.parse(resource.getSpec().getInstall().getTimeout(), DEFAULT_TIMEOUT);
    Duration upgrade =
        Durations.parse(resource.getSpec().getUpgrade().getTimeout(), DEFAULT_TIMEOUT);
    List<Secret> records = objects.releaseSecrets(namespace, release);
    PendingLock.Verdict verdict =
        PendingLock.decide(release, records, install, upgrade, clock.instant());
    String where = "Helm's record of release " + namespace + "/" + release;
    if (verdict instanceof Stale stale) {
      Secret record =
          records.stream()
              .filter(s -> stale.secretName().equals(s.getMetadata().getName()))
              .findFirst()
              .orElseThrow();
      if (!objects.deleteSecretIfUnchanged(record)) {
        // Helm wrote it since it was read, so an operation does hold it after all.
        throw new HelmFailure(
            Reasons.RELEASE_PENDING,
            where + " revision " + stale.revision() + " changed while being judged stale",
            false);
      }
      String message =
          where
              + " revision "
              + stale.revision()
              + " was "
              + stale.status()
              + " for "
              + Durations.format(stale.age())
              + ", longer than the operation's timeout, and no operation for it runs here: a"
              + " crash or a lost lease left it. Removed Secret "
              + namespace
              + "/"
              + stale.secretName()
              + (PendingLock.PENDING_INSTALL.equals(stale.status())
                  ? " so the install runs again"
                  : " so the revision before it is the latest again and the upgrade proceeds");
      LOG.warn("{}", message);
      events.record(resource, Type.Warning, Reasons.STALE_LOCK_RECOVERED, message);
    } else if (verdict instanceof Fresh fresh) {
      throw new HelmFailure(
          Reasons.RELEASE_PENDING,
          where
              + " revision "
              + fresh.revision()
              + " is "
              + fresh.status()
              + ": another Helm operation holds the release; unless it finishes, its record is"
              + " treated as stale and removed at "
              + DateTimeFormatter.ISO_INSTANT.format(fresh.staleAt()),
          false);
    } else if (verdict instanceof Undated undated) {
      throw new HelmFailure(
          Reasons.RELEASE_PENDING,
          where
              + " revision "
              + undated.revision()
              + " is "
              + undated.status()
              + " and carries no time, so it cannot be judged stale; if no Helm operation runs"
              + " for it, delete Secret "
              + namespace
              + "/"
              + undated.secretName(),
          true);
    }
  }
}
