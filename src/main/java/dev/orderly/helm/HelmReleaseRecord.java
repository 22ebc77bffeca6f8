package dev.orderly.helm;

import java.util.List;

/**
 * The parts of Helm's stored release record that a teardown needs: identity, the rendered non-hook
 * manifest and the hooks. {@code hooks} is never null.
 */
public record HelmReleaseRecord(
    String name,
    String namespace,
    int version,
    String status,
    String chartName,
    String chartVersion,
    String manifest,
    List<HelmHook> hooks) {

  public HelmReleaseRecord {
    manifest = manifest == null ? "" : manifest;
    hooks = hooks == null ? List.of() : List.copyOf(hooks);
  }

  /** The release's non-hook objects, parsed from {@link #manifest()}. */
  public List<ReleaseObject> objects() {
    return ManifestObjects.parse(manifest);
  }
}
