package dev.orderly.chart;

import java.util.List;
import java.util.Locale;

/**
 * Helm 3's hook annotation keys and the values it understands, as defined in Helm's {@code
 * pkg/release/hook.go} and parsed in {@code pkg/releaseutil/manifest_sorter.go} (v3.21).
 */
public final class HelmHookAnnotations {

  /** Comma-separated hook events; an unknown event makes Helm drop the whole resource. */
  public static final String HOOK = "helm.sh/hook";

  /** Integer order among hooks of one event, parsed with Go's {@code strconv.Atoi}. */
  public static final String HOOK_WEIGHT = "helm.sh/hook-weight";

  /** Comma-separated delete policies; unknown values are silently ignored by Helm. */
  public static final String HOOK_DELETE_POLICY = "helm.sh/hook-delete-policy";

  /** Comma-separated log policies for hook Pods and Jobs; unknown values are ignored. */
  public static final String HOOK_OUTPUT_LOG_POLICY = "helm.sh/hook-output-log-policy";

  /** Keeps a resource on uninstall; not a hook annotation but shares the {@code helm.sh/} space. */
  public static final String RESOURCE_POLICY = "helm.sh/resource-policy";

  /** The events of Helm's {@code HookEvent} constants, in Helm's declaration order. */
  public static final List<String> EVENTS =
      List.of(
          "pre-install",
          "post-install",
          "pre-delete",
          "post-delete",
          "pre-upgrade",
          "post-upgrade",
          "pre-rollback",
          "post-rollback",
          "test");

  /** Helm 2's name for {@code test}, still accepted by Helm 3's manifest sorter. */
  public static final String LEGACY_TEST_EVENT = "test-success";

  /** The values of Helm's {@code HookDeletePolicy} constants. */
  public static final List<String> DELETE_POLICIES =
      List.of("before-hook-creation", "hook-succeeded", "hook-failed");

  /** The values of Helm's {@code HookOutputLogPolicy} constants. */
  public static final List<String> OUTPUT_LOG_POLICIES = List.of("hook-succeeded", "hook-failed");

  /** Every annotation key under {@code helm.sh/} that Helm reads from a rendered object. */
  public static final List<String> KNOWN_KEYS =
      List.of(HOOK, HOOK_WEIGHT, HOOK_DELETE_POLICY, HOOK_OUTPUT_LOG_POLICY, RESOURCE_POLICY);

  private HelmHookAnnotations() {}

  /**
   * Normalises one comma-separated token the way Helm does before looking it up (trim, then lower
   * case), so {@code " Pre-Delete"} matches {@code pre-delete} exactly as it does in Helm.
   */
  public static String normalize(String token) {
    return token.strip().toLowerCase(Locale.ROOT);
  }

  /** Whether Helm's manifest sorter maps this (already normalised) token to a hook event. */
  public static boolean isEvent(String normalizedToken) {
    return EVENTS.contains(normalizedToken) || LEGACY_TEST_EVENT.equals(normalizedToken);
  }
}
