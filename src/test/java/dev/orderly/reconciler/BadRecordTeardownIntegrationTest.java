package dev.orderly.reconciler;

import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.BadRecords;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Helm records and hook manifests no Helm wrote: each stalls the teardown with its reason, one
 * Warning Event and nothing deleted, until fixed or its escape annotation is set; the operator
 * keeps serving every other release meanwhile.
 */
class BadRecordTeardownIntegrationTest {
  private static final String RECORD = "sh.helm.release.v1.agent.v1";

  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aCorruptRecordStallsUntilTheEscapeAnnotationThenTearsDownWhatIsKnown() {
    scenario.install(r -> {});
    replaceRecord(BadRecords.truncated(NS, NAME, 1));

    scenario.delete();
    OrderedRelease stalled = awaitStalled(Reasons.RELEASE_RECORD_UNREADABLE);

    assertThat(condition(stalled, "Stalled").getMessage())
        .contains("Helm's record of release agents/agent cannot be read")
        .contains("Helm release Secret agents/" + RECORD + ": the gzip layer is corrupt")
        .contains("orderly.dev/ignore-release-record: \"true\"");
    assertThat(hasCondition(stalled, "Ready", "False", Reasons.RELEASE_RECORD_UNREADABLE)).isTrue();
    assertBlockedQuietly(Reasons.RELEASE_RECORD_UNREADABLE);

    scenario.annotate("orderly.dev/ignore-release-record", "true");
    scenario.awaitGone();

    assertThat(scenario.eventReasons()).contains(Reasons.RELEASE_RECORD_IGNORED);
    assertThat(scenario.exists("DaemonSet", "agent-agent")).as("found by its labels").isFalse();
    assertThat(scenario.exists("Secret", RECORD)).as("the unreadable record is removed").isFalse();
    assertThat(scenario.exists("ConfigMap", "agent-config"))
        .as("nothing outside what is known is touched")
        .isTrue();
    assertThat(scenario.requests())
        .as("no hook runs from a record that was not read")
        .noneMatch(r -> r.method().equals("POST") && r.path().contains("/jobs"));
  }

  @Test
  void fixingTheRecordUnblocksTheTeardownToo() {
    scenario.install(r -> {});
    Secret good = scenario.harness.client().secrets().inNamespace(NS).withName(RECORD).get();
    replaceRecord(BadRecords.garbage(NS, NAME, 1));

    scenario.delete();
    awaitStalled(Reasons.RELEASE_RECORD_UNREADABLE);
    replaceRecord(good);
    scenario.poke();
    scenario.awaitGone();

    assertThat(scenario.eventReasons())
        .doesNotContain(Reasons.RELEASE_RECORD_IGNORED)
        .contains(Reasons.TEARDOWN_COMPLETE);
    assertThat(scenario.requests())
        .as("the pre-delete hook of the fixed record ran")
        .anyMatch(r -> r.method().equals("POST") && r.path().contains("/jobs"));
    assertThat(scenario.exists("ConfigMap", "agent-config")).isFalse();
  }

  @Test
  void aGzipBombStallsOneReleaseWhileTheOperatorServesAnother() {
    scenario.install(r -> {});
    // A tenant's Secret, labelled as the release's next revision: 512 MiB once unpacked.
    Secret bomb = BadRecords.gzipBomb(NS, NAME, 2, 512L * 1024 * 1024);
    scenario.harness.client().resource(bomb).create();

    scenario.delete();
    OrderedRelease stalled = awaitStalled(Reasons.RELEASE_RECORD_UNREADABLE);
    assertThat(condition(stalled, "Stalled").getMessage())
        .contains("sh.helm.release.v1.agent.v2: the gzip layer expands past 32 MiB");
    assertBlockedQuietly(Reasons.RELEASE_RECORD_UNREADABLE);

    // Meanwhile another namespace's release installs and tears down as ever.
    var client = scenario.harness.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("others").endMetadata().build())
        .create();
    scenario.harness.create(Releases.ofChart("others", "web", Releases.NODE_AGENT));
    scenario.harness.awaitRelease("others", "web", r -> hasCondition(r, "Ready", "True", null));
    client.resources(OrderedRelease.class).inNamespace("others").withName("web").delete();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> scenario.harness.get("others", "web") == null);
    assertThat(scenario.harness.events("others", "web"))
        .extracting(Event::getReason)
        .contains(Reasons.TEARDOWN_COMPLETE);
    assertThat(
            hasCondition(scenario.current(), "Stalled", "True", Reasons.RELEASE_RECORD_UNREADABLE))
        .isTrue();
    assertThat(scenario.eventReasons())
        .containsOnlyOnce(Reasons.RELEASE_RECORD_UNREADABLE)
        .doesNotContain(Reasons.TEARDOWN_PHASE_STARTED);
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isTrue();

    scenario.annotate("orderly.dev/ignore-release-record", "true");
    scenario.awaitGone();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v2"))
        .as("the bomb goes with the record it pretended to be")
        .isFalse();
  }

  @Test
  void anUnparsableHookManifestStallsUntilHooksAreSkipped() {
    scenario.install(r -> {});
    Secret record = scenario.harness.client().secrets().inNamespace(NS).withName(RECORD).get();
    ObjectNode json = (ObjectNode) ReleaseRecordCodec.releaseJson(record).deepCopy();
    ObjectNode hook = (ObjectNode) json.withArray("hooks").get(0);
    String hookName = hook.path("name").asText();
    hook.put("manifest", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: [unclosed\n");
    replaceRecord(ReleaseRecordCodec.encode(json));

    scenario.delete();
    OrderedRelease stalled = awaitStalled(Reasons.HOOK_MANIFEST_UNPARSABLE);

    assertThat(condition(stalled, "Stalled").getMessage())
        .contains("pre-delete hook Job " + hookName)
        .contains("Helm release Secret agents/" + RECORD)
        .contains("is not valid YAML")
        .contains("orderly.dev/skip-hooks: \"true\"");
    assertBlockedQuietly(Reasons.HOOK_MANIFEST_UNPARSABLE);

    scenario.annotate("orderly.dev/skip-hooks", "true");
    scenario.awaitGone();

    assertThat(scenario.eventReasons()).contains(Reasons.HOOKS_SKIPPED);
    assertThat(scenario.requests())
        .noneMatch(r -> r.method().equals("POST") && r.path().contains("/jobs"));
    assertThat(scenario.exists("ConfigMap", "agent-config"))
        .as("the rest of the record was planned and torn down")
        .isFalse();
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isFalse();
  }

  /** The stored record Secret, replaced by {@code secret}'s data and labels. */
  private void replaceRecord(Secret secret) {
    var secrets = scenario.harness.client().secrets().inNamespace(NS);
    Secret current = secrets.withName(RECORD).get();
    secrets
        .resource(
            new SecretBuilder(current)
                .withData(secret.getData())
                .editMetadata()
                .withLabels(secret.getMetadata().getLabels())
                .endMetadata()
                .build())
        .update();
  }

  private OrderedRelease awaitStalled(String reason) {
    return scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", reason));
  }

  /**
   * After more looks, still stalled with a single Warning, the finalizer in place and nothing
   * deleted or created.
   */
  private void assertBlockedQuietly(String reason) {
    for (int look = 0; look < 2; look++) {
      long before = recordLookups();
      scenario.poke();
      await().atMost(OperatorHarness.TIMEOUT).until(() -> recordLookups() > before);
    }
    OrderedRelease current = scenario.current();
    assertThat(hasCondition(current, "Stalled", "True", reason)).isTrue();
    assertThat(current.getMetadata().getFinalizers()).contains(OrderedRelease.FINALIZER);
    assertThat(current.getStatus().getTeardown()).as("nothing planned").isNull();
    assertThat(scenario.harness.events(NS, NAME))
        .filteredOn(e -> reason.equals(e.getReason()))
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(scenario.requests())
        .as("nothing deleted or created while stalled")
        .noneMatch(r -> r.method().equals("DELETE") && !r.path().contains("/orderedreleases/"))
        .noneMatch(r -> r.method().equals("POST") && r.path().contains("/jobs"));
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isTrue();
  }

  /** How often the operator has listed the release's record Secrets: once per teardown look. */
  private long recordLookups() {
    List<ApiRequest> requests = scenario.requests();
    return requests.stream()
        .filter(r -> r.method().equals("GET"))
        .filter(r -> r.path().startsWith("/api/v1/namespaces/" + NS + "/secrets?"))
        .filter(r -> r.path().contains("labelSelector") && !r.path().contains("watch=true"))
        .count();
  }

  private static Condition condition(OrderedRelease release, String type) {
    return OperatorHarness.condition(release, type).orElseThrow();
  }
}
