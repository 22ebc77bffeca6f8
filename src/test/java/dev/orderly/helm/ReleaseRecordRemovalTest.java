package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Removing Helm's record from its Secrets, as helm uninstall would, without the objects. */
class ReleaseRecordRemovalTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void everyRevisionOfTheReleaseIsDeletedAndNothingElse() {
    List<Secret> secrets =
        List.of(revision("sample", 2, "deployed"), revision("sample", 1, "superseded"), other());

    assertThat(ReleaseRecordRemoval.toDelete("sample", secrets))
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("sh.helm.release.v1.sample.v1", "sh.helm.release.v1.sample.v2");
  }

  @Test
  void keepingHistoryMarksTheLatestUninstalledAndEarlierDeployedOnesSuperseded() {
    List<Secret> secrets =
        List.of(
            revision("sample", 1, "deployed"),
            revision("sample", 3, "deployed"),
            revision("sample", 2, "failed"),
            other());

    List<Secret> changed = ReleaseRecordRemoval.toMarkUninstalled("sample", secrets, NOW);

    assertThat(changed)
        .extracting(
            s -> s.getMetadata().getName(),
            s -> s.getMetadata().getLabels().get("status"),
            s -> ReleaseRecordCodec.decode(s).status())
        .containsExactly(
            tuple("sh.helm.release.v1.sample.v3", "uninstalled", "uninstalled"),
            tuple("sh.helm.release.v1.sample.v1", "superseded", "superseded"));
    JsonNode info = ReleaseRecordCodec.releaseJson(changed.get(0)).path("info");
    assertThat(info.path("deleted").asText()).isEqualTo("2026-11-21T10:00:00Z");
    assertThat(info.path("description").asText()).isEqualTo("Uninstallation complete");
    assertThat(changed.get(0).getMetadata().getLabels())
        .containsEntry("owner", "helm")
        .containsEntry("name", "sample")
        .containsEntry("version", "3")
        .containsEntry("modifiedAt", Long.toString(NOW.getEpochSecond()));
  }

  @Test
  void aRewrittenRecordKeepsEverythingHelmStoredAndItsResourceVersion() {
    Secret real = new SecretBuilder(ReleaseFixtures.releaseSecret()).build();
    real.getMetadata().setResourceVersion("42");
    JsonNode before = ReleaseRecordCodec.releaseJson(real);

    Secret changed = ReleaseRecordRemoval.toMarkUninstalled("sample", List.of(real), NOW).get(0);

    ObjectNode after = (ObjectNode) ReleaseRecordCodec.releaseJson(changed).deepCopy();
    ObjectNode expected = (ObjectNode) before.deepCopy();
    expected.withObjectProperty("info").put("status", "uninstalled");
    expected.withObjectProperty("info").put("deleted", "2026-11-21T10:00:00Z");
    expected.withObjectProperty("info").put("description", "Uninstallation complete");
    assertThat(after).isEqualTo(expected);
    assertThat(changed.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(changed.getType()).isEqualTo("helm.sh/release.v1");
  }

  @Test
  void nothingChangesWhenTheRecordIsAlreadyUninstalledOrMissing() {
    assertThat(
            ReleaseRecordRemoval.toMarkUninstalled(
                "sample", List.of(revision("sample", 2, "uninstalled")), NOW))
        .isEmpty();
    assertThat(ReleaseRecordRemoval.toMarkUninstalled("sample", List.of(other()), NOW)).isEmpty();
  }

  @Test
  void anUnreadableEarlierRevisionIsLeftAsItIsWhileTheLatestIsMarked() {
    List<Secret> secrets =
        List.of(
            BadRecords.gzipBomb("samples", "sample", 1, 64L * 1024 * 1024),
            BadRecords.truncated("samples", "sample", 2),
            revision("sample", 3, "deployed"));

    assertThat(ReleaseRecordRemoval.toMarkUninstalled("sample", secrets, NOW))
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("sh.helm.release.v1.sample.v3");
    assertThat(ReleaseRecordRemoval.toDelete("sample", secrets)).hasSize(3);
  }

  private static Secret revision(String release, int version, String status) {
    HelmReleaseRecord fixture = ReleaseFixtures.sampleRelease();
    return ReleaseRecordCodec.encode(
        new HelmReleaseRecord(
            release,
            "samples",
            version,
            status,
            fixture.chartName(),
            fixture.chartVersion(),
            fixture.manifest(),
            fixture.hooks()));
  }

  private static Secret other() {
    return revision("sample-two", 1, "deployed");
  }
}
