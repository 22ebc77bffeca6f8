package dev.orderly.testsupport.sim;

/**
 * What the RBAC probe saw when a pod finished terminating: whether the pod's ServiceAccount and a
 * binding naming it as a subject still existed at that moment.
 */
public record PodTermination(
    String namespace,
    String pod,
    String ownerKind,
    String serviceAccount,
    boolean serviceAccountExisted,
    boolean bindingExisted,
    long sequence) {

  /** Whether the pod could still use its permissions while it stopped. */
  public boolean sawItsRbac() {
    return serviceAccountExisted && bindingExisted;
  }
}
