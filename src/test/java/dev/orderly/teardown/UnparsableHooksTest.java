package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.UninstallOptions;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which stored hooks stop a teardown from being planned, and what the stall then says. */
class UnparsableHooksTest {
  private static final String BROKEN = "kind: Job\nmetadata: {name: [unclosed\n";

  @Test
  void onlyHooksTheTeardownWouldRunAreChecked() {
    HelmHook preDelete = hook("drain", "pre-delete", BROKEN);
    HelmHook postDelete = hook("marker", "post-delete", "kind: ConfigMap\nmetadata: {name: m}\n");
    HelmHook preInstall = hook("setup", "pre-install", BROKEN);

    Map<HelmHook, String> broken =
        TeardownPlanner.unparsableHooks(
            List.of(preDelete, postDelete, preInstall), new UninstallOptions());

    assertThat(broken).containsOnlyKeys(preDelete);
    assertThat(broken.get(preDelete))
        .startsWith("hook Job drain: manifest document 1")
        .contains("is not valid YAML");
  }

  @Test
  void disabledHooksAreNeverParsed() {
    UninstallOptions options = new UninstallOptions();
    options.setDisableHooks(true);

    assertThat(TeardownPlanner.unparsableHooks(List.of(hook("d", "pre-delete", BROKEN)), options))
        .isEmpty();
  }

  @Test
  void anUnparsableHookOfAnotherEventDoesNotStopDiscovery() {
    HelmReleaseRecord record =
        new HelmReleaseRecord(
            "rel",
            "ns",
            1,
            "deployed",
            "c",
            "1",
            "apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\n",
            List.of(hook("setup", "pre-install", BROKEN)));

    ResourceScopes scopes =
        ResourceScopes.discovered(
            record,
            apiVersions -> {
              assertThat(apiVersions).containsExactly("example.com/v1");
              return Set.of("example.com/Gizmo");
            });

    assertThat(scopes.isClusterScoped("example.com/v1", "Gizmo")).isTrue();
  }

  @Test
  void theStallNamesTheHookTheSecretAndTheAnnotation() {
    HelmHook drain = hook("drain", "pre-delete", BROKEN);
    TeardownBlocked blocked =
        TeardownBlocked.unparsableHooks(
            "Helm release Secret ns/sh.helm.release.v1.rel.v4",
            TeardownPlanner.unparsableHooks(List.of(drain), null));

    assertThat(blocked.reason()).isEqualTo(Reasons.HOOK_MANIFEST_UNPARSABLE);
    assertThat(blocked.getMessage())
        .startsWith(
            "the manifest of a hook in Helm release Secret ns/sh.helm.release.v1.rel.v4 does not"
                + " parse, so nothing is torn down: pre-delete hook Job drain (source:"
                + " c/templates/drain.yaml): hook Job drain: manifest document 1")
        .endsWith(
            "Set the annotation orderly.dev/skip-hooks: \"true\" to tear down without running"
                + " hooks (every hook not yet run is skipped)");
  }

  @Test
  void theUnreadableRecordStallNamesTheEscapeAndWhatItCosts() {
    TeardownBlocked blocked =
        TeardownBlocked.unreadableRecord(
            "ns/rel", new IllegalArgumentException("Helm release Secret ns/x: it is broken"));

    assertThat(blocked.reason()).isEqualTo(Reasons.RELEASE_RECORD_UNREADABLE);
    assertThat(blocked.getMessage())
        .startsWith(
            "Helm's record of release ns/rel cannot be read, so nothing is torn down: Helm"
                + " release Secret ns/x: it is broken. Fix or delete that Secret, or set the"
                + " annotation orderly.dev/ignore-release-record: \"true\"")
        .contains("no hook runs and the release's other namespaced objects stay");
  }

  private static HelmHook hook(String name, String event, String manifest) {
    return new HelmHook(
        name, "Job", "c/templates/" + name + ".yaml", manifest, List.of(event), 0, List.of());
  }
}
