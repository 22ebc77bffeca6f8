package dev.orderly.reconciler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica leads, from the leader election's callbacks, and whether it lost the Lease
 * while running, as opposed to giving it up because it was asked to stop.
 */
final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final String instance;
  private final AtomicBoolean leading;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> lostLease = new CompletableFuture<>();
  private Runnable onLost;
  private boolean lostUnheard;

  /**
   * @param instance this replica's identity in the election
   * @param leading true without election: a single replica always leads
   */
  Leadership(String instance, boolean leading) {
    this.instance = instance;
    this.leading = new AtomicBoolean(leading);
  }

  /**
   * What runs when the Lease is lost while not closing; at once if it was lost before anyone
   * listened (the election starts before the operator object that reacts to it exists).
   */
  synchronized void onLost(Runnable action) {
    this.onLost = action;
    if (lostUnheard) {
      lostUnheard = false;
      action.run();
    }
  }

  void started() {
    LOG.info("{} is now the leader", instance);
    leading.set(true);
  }

  void stopped() {
    leading.set(false);
    if (closing.get()) {
      LOG.info("{} stopped leading, as it is shutting down", instance);
      return;
    }
    LOG.error(
        "{} lost the Lease (it could not renew it in time) and stops reconciling, so that only"
            + " the new leader acts",
        instance);
    synchronized (this) {
      if (onLost == null) {
        lostUnheard = true;
      } else {
        onLost.run();
      }
    }
  }

  void observedLeader(String leader) {
    LOG.info("The leader is {}", leader);
  }

  /** Marks a stop as asked for, before it ends the election. */
  void closing() {
    closing.set(true);
  }

  boolean leading() {
    return leading.get();
  }

  CompletableFuture<Void> lostLease() {
    return lostLease;
  }
}
