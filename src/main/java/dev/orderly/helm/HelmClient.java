package dev.orderly.helm;

import java.util.Optional;

/**
 * The Helm verbs Orderly needs, and nothing else. Implementations run Helm; they neither decide nor
 * record. Every method may block for as long as Helm takes, so callers keep them off reconciler
 * threads.
 */
public interface HelmClient {
  /** Installs a new release; fails if a release of that name exists. */
  HelmReleaseInfo install(HelmReleaseRequest request);

  /** Upgrades an existing release to the request's chart and values. */
  HelmReleaseInfo upgrade(HelmReleaseRequest request);

  /** The release's current state, or empty when Helm has no release of that name. */
  Optional<HelmReleaseInfo> status(String releaseName, String namespace);

  /**
   * A client whose every API call is made as {@code user} (impersonation), the connection otherwise
   * this one's.
   *
   * @throws UnsupportedOperationException when this client cannot impersonate
   */
  default HelmClient actingAs(String user) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot impersonate");
  }
}
