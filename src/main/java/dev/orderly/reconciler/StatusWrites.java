package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.kube.FinalizerRemoval;
import dev.orderly.kube.TeardownLedgerStore;
import dev.orderly.teardown.TeardownLedger;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The status writes of one look at an OrderedRelease: each saves only what changed since the last,
 * and starts from the resourceVersion the last one returned, so several saves in one look (an
 * intent, then its outcome) do not conflict with each other.
 *
 * <p>The teardown's steps go to its ledger Secret first and status gets a summary (see {@link
 * TeardownLedger}), so status stays small whatever the chart's size. The ledger is written before
 * status, so a crash between the two leaves the ledger ahead, and {@link #loadTeardown} reads it
 * back as the truth. Where no ledger can be created (the OrderedRelease's namespace is being
 * deleted) the steps stay in status, as a note there says.
 */
final class StatusWrites {
  /** What {@link #loadTeardown} found. */
  enum Loaded {
    /** No ledger: the teardown has not begun, or its steps are in status. */
    NONE,
    /** The teardown was read from its ledger. */
    FROM_LEDGER,
    /** Status names a ledger that is gone: the steps are lost. */
    LOST
  }

  /**
   * The ledger as this process last wrote or read it, for the next look at the same object: valid
   * only while the object is still at {@code objectVersion} (the resourceVersion this process's own
   * last status write returned, or the look read). The ledger is written by the leader alone, and a
   * process that loses the Lease stops reconciling, so an unchanged object means an unchanged
   * ledger; any change to the object, a restart, or a look that ended in an error reads it again.
   */
  record Remembered(String uid, String objectVersion, String ledgerVersion, String record) {}

  /** How long a condition's message may be in status; the Events carry the whole of it. */
  static final int MAX_CONDITION_MESSAGE = 1024;

  static final String NAMESPACE_TERMINATING_NOTE =
      "the steps are kept here: the namespace is being deleted, so the teardown ledger Secret"
          + " could not be created in it";

  private final Context<OrderedRelease> context;
  private final TeardownLedgerStore ledgers;
  private OrderedRelease current;
  private String saved;
  private int statusWrites;
  // The teardown summary as status held it when the look began, and whether saves must keep it.
  private final TeardownStatus teardownAsRead;
  // The teardown phase status shows, as last saved or read.
  private TeardownPhase savedPhase;
  private boolean teardownFrozen;
  // The ledger record last read or written, and the Secret's resourceVersion then (null: none).
  private String ledgerRecord;
  private String ledgerVersion;
  private final Remembered remembered;

  /**
   * The writes of one look at {@code resource}, with what the last look {@link #remember}ed (null
   * if nothing), so an unchanged ledger is not read again.
   */
  StatusWrites(
      OrderedRelease resource,
      Context<OrderedRelease> context,
      OrderedReleaseStatus initial,
      TeardownLedgerStore ledgers,
      Remembered remembered) {
    this.remembered = remembered;
    this.context = context;
    this.ledgers = ledgers;
    // A copy: the update hands it to the function that sets the status, and the resource JOSDK
    // passed in must stay as read.
    this.current = Serialization.clone(resource);
    this.saved = Serialization.asJson(initial);
    this.teardownAsRead =
        initial.getTeardown() == null ? null : Serialization.clone(initial.getTeardown());
    this.savedPhase = initial.getTeardown() == null ? null : initial.getTeardown().getPhase();
  }

  /**
   * From now on saves leave the teardown as status held it and write no ledger: for a look that
   * could not read the teardown's steps, whose saves could otherwise only lose them.
   */
  void freezeTeardown() {
    teardownFrozen = true;
  }

  /**
   * Puts the teardown recorded in the ledger into {@code status}, when there is a ledger of this
   * OrderedRelease: it is ahead of, or equal to, what status says. Reads nothing when status says
   * the steps are kept there, or that the teardown is done.
   *
   * @throws IllegalArgumentException when the ledger cannot be read
   */
  Loaded loadTeardown(OrderedReleaseStatus status) {
    TeardownStatus inStatus = status.getTeardown();
    if (inStatus != null
        && (inStatus.getStepsNote() != null || inStatus.getPhase() == TeardownPhase.Done)) {
      // Done is written to status only once every phase is over, and never to the ledger.
      return Loaded.NONE;
    }
    if (remembered != null
        && remembered.uid().equals(current.getMetadata().getUid())
        && remembered.objectVersion().equals(current.getMetadata().getResourceVersion())) {
      TeardownStatus record = Serialization.unmarshal(remembered.record(), TeardownStatus.class);
      record.setLedger(TeardownLedger.secretName(current.getMetadata().getName()));
      status.setTeardown(record);
      ledgerVersion = remembered.ledgerVersion();
      ledgerRecord = remembered.record();
      return Loaded.FROM_LEDGER;
    }
    Optional<Secret> ledger = ledgers.read(current);
    if (ledger.isPresent()) {
      // A ledger of an earlier OrderedRelease of this name is overwritten, never read.
      ledgerVersion = ledger.get().getMetadata().getResourceVersion();
      if (TeardownLedgerStore.recordsTeardownOf(ledger.get(), current)) {
        TeardownStatus record = TeardownLedgerStore.decode(ledger.get());
        record.setLedger(ledger.get().getMetadata().getName());
        status.setTeardown(record);
        ledgerRecord = TeardownLedger.recordJson(record);
        return Loaded.FROM_LEDGER;
      }
    }
    return inStatus != null && inStatus.getLedger() != null ? Loaded.LOST : Loaded.NONE;
  }

  /**
   * Saves what is about to be done before it is done. The ledger is the truth about the steps
   * ({@link #loadTeardown} reads it back even when status is behind or names none yet), so the
   * ledger is written, and status only when it does not show this phase yet ({@link
   * #statusBehind}); otherwise status catches up at the look's end. Where the steps are kept in
   * status (no ledger can be created), status is the intent and is saved.
   */
  void saveIntent(OrderedReleaseStatus status) {
    TeardownStatus teardown = status.getTeardown();
    if (teardownFrozen || teardown == null) {
      saveIfChanged(status);
      return;
    }
    writeLedger(teardown);
    if (teardown.getStepsNote() != null || statusBehind(teardown.getPhase())) {
      saveIfChanged(status);
    }
  }

  /**
   * Whether status, as last saved or read, shows another phase than {@code phase}: then the intent
   * save writes status too, so status names each phase as it acts (one write per phase change), and
   * a long look through many phases is not silent until it ends.
   */
  boolean statusBehind(TeardownPhase phase) {
    return savedPhase != phase;
  }

  /**
   * Saves {@code status} if it differs from what was last saved or read: the teardown's record to
   * its ledger first when that changed, then status with the teardown summarised.
   */
  void saveIfChanged(OrderedReleaseStatus status) {
    TeardownStatus teardown = status.getTeardown();
    if (teardownFrozen) {
      status.setTeardown(teardownAsRead);
    } else if (teardown != null) {
      writeLedger(teardown);
      status.setTeardown(
          teardown.getStepsNote() == null
              ? TeardownLedger.summary(teardown, teardown.getLedger())
              : TeardownLedger.inStatus(teardown, teardown.getStepsNote()));
    }
    String json;
    try {
      json = Serialization.asJson(status);
    } finally {
      status.setTeardown(teardown);
    }
    OrderedReleaseStatus copy = Serialization.unmarshal(json, OrderedReleaseStatus.class);
    if (copy.getConditions() != null) {
      for (Condition condition : copy.getConditions()) {
        condition.setMessage(TeardownLedger.shorten(condition.getMessage(), MAX_CONDITION_MESSAGE));
      }
      json = Serialization.asJson(copy);
    }
    TeardownPhase phase = copy.getTeardown() == null ? null : copy.getTeardown().getPhase();
    if (json.equals(saved)) {
      savedPhase = phase;
      return;
    }
    current =
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
            current,
            context,
            fresh -> {
              fresh.setStatus(copy);
              return fresh;
            });
    saved = json;
    savedPhase = phase;
    statusWrites++;
  }

  /** How many times this look wrote status. */
  int statusWrites() {
    return statusWrites;
  }

  /**
   * Whether {@code status} differs from what was last saved or read in progress only: the same
   * phase and the same conditions with the same statuses and reasons, other messages or counts.
   * Such a write may wait ({@link StatusPacing}); a new phase, condition or reason may not, nor a
   * teardown whose steps are kept in status (there status is what a restart reads).
   */
  boolean progressOnly(OrderedReleaseStatus status) {
    TeardownStatus teardown = status.getTeardown();
    if (teardownFrozen || teardown == null || teardown.getStepsNote() != null) {
      return false;
    }
    OrderedReleaseStatus before = Serialization.unmarshal(saved, OrderedReleaseStatus.class);
    return before.getTeardown() != null
        && before.getTeardown().getPhase() == teardown.getPhase()
        && Objects.equals(before.getPhase(), status.getPhase())
        && shape(before.getConditions()).equals(shape(status.getConditions()));
  }

  private static Set<String> shape(List<Condition> conditions) {
    Set<String> shape = new HashSet<>();
    if (conditions != null) {
      conditions.forEach(c -> shape.add(c.getType() + "=" + c.getStatus() + "/" + c.getReason()));
    }
    return shape;
  }

  /** Writes the teardown's ledger if it changed, and leaves status for a later save. */
  void saveLedgerOnly(OrderedReleaseStatus status) {
    if (!teardownFrozen && status.getTeardown() != null) {
      writeLedger(status.getTeardown());
    }
  }

  /**
   * Removes the finalizer in one request ({@link FinalizerRemoval}), from the object as this look's
   * last status write returned it. JOSDK's own removal patches with a diff from the object as this
   * look first read it, pinned to that resourceVersion: after this look's status writes it meets a
   * 409 and reads the object again (on a real API server the diff may not even apply, a 422).
   */
  void removeFinalizer() {
    new FinalizerRemoval(context.getClient()).remove(current);
  }

  /**
   * What the next look may take instead of reading the ledger, once this look ended without error;
   * null when there is no ledger (any more).
   */
  Remembered remember() {
    if (ledgerVersion == null || ledgerRecord == null || teardownFrozen) {
      return null;
    }
    return new Remembered(
        current.getMetadata().getUid(),
        current.getMetadata().getResourceVersion(),
        ledgerVersion,
        ledgerRecord);
  }

  /**
   * Deletes the ledger once the teardown is over and status says so, when this look read or wrote
   * one. A look that found status Done reads no ledger: one left by a crash between the two writes
   * goes with the OrderedRelease (it is owned by it), and names its UID, so no namesake reads it.
   */
  void dropLedger() {
    if (ledgerVersion != null) {
      ledgers.delete(current);
      ledgerVersion = null;
      ledgerRecord = null;
    }
  }

  private void writeLedger(TeardownStatus teardown) {
    if (teardown.getStepsNote() != null) {
      return;
    }
    if (teardown.getPhase() == TeardownPhase.Done) {
      // Status says Done and is final (loadTeardown reads no ledger then); the ledger is dropped
      // next, so writing Done into it first would be a write for nothing.
      return;
    }
    String record = TeardownLedger.recordJson(teardown);
    if (record.equals(ledgerRecord)) {
      return;
    }
    byte[] data = TeardownLedger.compress(record);
    try {
      ledgerVersion =
          ledgerVersion == null
              ? ledgers.create(current, data)
              : ledgers.replace(current, data, ledgerVersion);
    } catch (KubernetesClientException e) {
      if (ledgerVersion == null && TeardownExecutor.namespaceTerminating(e)) {
        teardown.setLedger(null);
        teardown.setStepsNote(NAMESPACE_TERMINATING_NOTE);
        return;
      }
      throw e;
    }
    ledgerRecord = record;
    teardown.setLedger(TeardownLedger.secretName(current.getMetadata().getName()));
  }
}
