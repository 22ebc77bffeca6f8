package dev.orderly.reconciler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OrderedReleases (by UID) whose finalizer this operator removed after their teardown ended.
 * The informer cache can still hold an earlier version of such an object for a moment, with the
 * finalizer and a status from before the end (the teardown's own status writes arrive as events
 * before the deletion does), and a look at that copy would take the dropped ledger for a lost one
 * and plan the teardown again. A finished UID is never looked at again. Only the latest {@link
 * #CAPACITY} are kept: the stale window is the cache's lag, far shorter than that many teardowns.
 */
final class FinishedTeardowns {
  static final int CAPACITY = 4096;

  private final Map<String, Boolean> uids =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > CAPACITY;
        }
      };

  /** Records that the finalizer of the object with {@code uid} is gone. */
  synchronized void finished(String uid) {
    if (uid != null) {
      uids.put(uid, Boolean.TRUE);
    }
  }

  /** Whether the teardown of the object with {@code uid} already ended here. */
  synchronized boolean isFinished(String uid) {
    return uid != null && uids.containsKey(uid);
  }
}
