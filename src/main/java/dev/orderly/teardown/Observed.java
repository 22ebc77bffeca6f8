package dev.orderly.teardown;

/**
 * What the cluster showed for one step's object just now.
 *
 * @param exists whether an object of that kind, namespace and name exists
 * @param uid its UID, when it exists
 * @param terminating whether it has a deletionTimestamp (finalizers still hold it)
 * @param hookOutcome for hook objects, whether it finished as Helm judges hooks
 * @param remainingPods pods still owned by it (DaemonSets), whatever their state
 * @param detail why a hook failed, as the Job's condition or the Pod's status says
 * @param ours whether it carries this teardown's label, so Orderly created it (a hook)
 * @param releaseStatus for Helm's release record, the status of its latest revision
 * @param watched read from an informer cache whose changes wake the teardown, so waiting on it
 *     needs no poll; false when it was read from the API server
 */
public record Observed(
    boolean exists,
    String uid,
    boolean terminating,
    HookOutcome hookOutcome,
    int remainingPods,
    String detail,
    boolean ours,
    String releaseStatus,
    boolean watched) {

  /**
   * How a hook object stands, as Helm judges it: Jobs and Pods run, other kinds are ready at once.
   */
  public enum HookOutcome {
    Running,
    Succeeded,
    Failed
  }

  /** Nothing of that name exists. */
  public static Observed absent() {
    return new Observed(false, null, false, null, 0, null, false, null, false);
  }

  /** A live object that is not being deleted. */
  public static Observed present(String uid) {
    return new Observed(true, uid, false, HookOutcome.Running, 0, null, false, null, false);
  }

  /** Helm's record of a release: {@code uid} and {@code status} of its latest revision. */
  public static Observed releaseRecord(String uid, String status) {
    return new Observed(true, uid, false, null, 0, null, false, status, false);
  }

  public Observed terminatingNow() {
    return new Observed(
        exists, uid, true, hookOutcome, remainingPods, detail, ours, releaseStatus, watched);
  }

  public Observed withOutcome(HookOutcome outcome, String why) {
    return new Observed(
        exists, uid, terminating, outcome, remainingPods, why, ours, releaseStatus, watched);
  }

  public Observed withRemainingPods(int pods) {
    return new Observed(
        exists, uid, terminating, hookOutcome, pods, detail, ours, releaseStatus, watched);
  }

  /** Labelled by this teardown: a hook Orderly created, perhaps just before a crash. */
  public Observed createdByUs() {
    return new Observed(
        exists, uid, terminating, hookOutcome, remainingPods, detail, true, releaseStatus, watched);
  }

  /** Read from an informer cache: a change to it wakes the teardown. */
  public Observed fromWatch() {
    return new Observed(
        exists, uid, terminating, hookOutcome, remainingPods, detail, ours, releaseStatus, true);
  }

  /** Gone, with nothing left of it: no object and no pods it owned. */
  public boolean gone() {
    return !exists && remainingPods == 0;
  }
}
