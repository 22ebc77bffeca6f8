package dev.orderly.helm;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from a release's record Secrets alone, whether Helm's lock on it is held: Helm refuses
 * every install, upgrade and rollback while the latest record is {@code pending-*}. The caller
 * asserts that no operation for the release runs in its process; then a record pending for longer
 * than the operation's own timeout can only be a crash's or a lost lease's leftover, and removing
 * that one record (the pending revision) gives the release back the state before it. Pure.
 */
public final class PendingLock {
  /** Helm's statuses that hold the lock. */
  public static final String PENDING_INSTALL = "pending-install";

  public static final String PENDING_UPGRADE = "pending-upgrade";
  public static final String PENDING_ROLLBACK = "pending-rollback";

  private PendingLock() {}

  /** What to do about the release's lock. */
  public sealed interface Verdict permits Free, Stale, Fresh, Undated {}

  /** No record, or the latest one is not pending: nothing holds the lock. */
  public record Free() implements Verdict {}

  /**
   * The latest record has been pending for {@code age}, longer than the operation may take: remove
   * the Secret {@code secretName} (that revision's record, and only it).
   */
  public record Stale(String secretName, int revision, String status, Duration age)
      implements Verdict {}

  /**
   * The latest record is pending but may still belong to a live operation until {@code staleAt}.
   */
  public record Fresh(String secretName, int revision, String status, Instant staleAt)
      implements Verdict {}

  /** The latest record is pending and says nothing about when it was written. */
  public record Undated(String secretName, int revision, String status) implements Verdict {}

  /**
   * The verdict for {@code releaseName} among {@code secrets} (its record Secrets, any order).
   *
   * @param installTimeout how long an install may take: a pending-install record older is stale
   * @param upgradeTimeout the same for pending-upgrade and pending-rollback records
   */
  public static Verdict decide(
      String releaseName,
      Collection<Secret> secrets,
      Duration installTimeout,
      Duration upgradeTimeout,
      Instant now) {
    Optional<Secret> latest = ReleaseSecrets.latest(releaseName, secrets);
    if (latest.isEmpty()) {
      return new Free();
    }
    Secret record = latest.get();
    String status = status(record);
    if (!isPending(status)) {
      return new Free();
    }
    String name = record.getMetadata().getName();
    int revision = ReleaseSecrets.revisionOf(record).getAsInt();
    Optional<Instant> since = pendingSince(record);
    if (since.isEmpty()) {
      return new Undated(name, revision, status);
    }
    Duration staleAfter = PENDING_INSTALL.equals(status) ? installTimeout : upgradeTimeout;
    Instant staleAt = since.get().plus(staleAfter);
    if (now.isAfter(staleAt)) {
      return new Stale(name, revision, status, Duration.between(since.get(), now));
    }
    return new Fresh(name, revision, status, staleAt);
  }

  /** Whether {@code status} is one of Helm's pending statuses, which hold its lock. */
  public static boolean isPending(String status) {
    return PENDING_INSTALL.equals(status)
        || PENDING_UPGRADE.equals(status)
        || PENDING_ROLLBACK.equals(status);
  }

  /**
   * When the record was last written: Helm's {@code modifiedAt} label (set on update), else its
   * {@code createdAt} label (set on create, which is when an install, upgrade or rollback writes
   * its pending revision), else the Secret's creationTimestamp.
   */
  static Optional<Instant> pendingSince(Secret record) {
    ObjectMeta metadata = record.getMetadata();
    Map<String, String> labels = metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    Optional<Instant> modified = epochSeconds(labels.get("modifiedAt"));
    if (modified.isPresent()) {
      return modified;
    }
    Optional<Instant> created = epochSeconds(labels.get("createdAt"));
    if (created.isPresent()) {
      return created;
    }
    try {
      return Optional.ofNullable(metadata.getCreationTimestamp()).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The record's status: Helm's {@code status} label, which it keeps with the record's own. */
  private static String status(Secret record) {
    Map<String, String> labels = record.getMetadata().getLabels();
    String labelled = labels == null ? null : labels.get("status");
    return labelled != null ? labelled : ReleaseRecordCodec.decode(record).status();
  }

  private static Optional<Instant> epochSeconds(String text) {
    if (text == null || text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
