package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.ReleaseStatus;
import dev.orderly.helm.ReleaseOwnership.Claim;
import dev.orderly.helm.ReleaseOwnership.None;
import dev.orderly.helm.ReleaseOwnership.OtherOwner;
import dev.orderly.helm.ReleaseOwnership.Ours;
import dev.orderly.helm.ReleaseOwnership.Proceed;
import dev.orderly.helm.ReleaseOwnership.Refuse;
import dev.orderly.helm.ReleaseOwnership.TeardownVerdict;
import dev.orderly.helm.ReleaseOwnership.Unclaimed;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReleaseOwnershipTest {
  private static final String OURS = "uid-ours";
  private static final String THEIRS = "uid-theirs";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void noRecordIsNone() {
    assertThat(ReleaseOwnership.claim(resource(), List.of())).isEqualTo(new None());
    assertThat(
            ReleaseOwnership.claim(
                resource(), List.of(record("other-release", 1, null, null, null))))
        .as("another release's Secrets are ignored")
        .isEqualTo(new None());
  }

  @Test
  void ourLabelOnTheNewestRecordIsOurs() {
    Claim claim =
        ReleaseOwnership.claim(
            resource(), List.of(record(1, null, null, null), record(2, OURS, "apps/web", null)));
    assertThat(claim).isEqualTo(new Ours(true));
  }

  @Test
  void anotherUidIsAnotherOwnerNamedByTheAnnotation() {
    Claim claim =
        ReleaseOwnership.claim(resource(), List.of(record(1, THEIRS, "team-b/web", null)));
    assertThat(claim).isEqualTo(new OtherOwner(THEIRS, "team-b/web"));
    assertThat(((OtherOwner) claim).describe())
        .isEqualTo("OrderedRelease team-b/web (uid uid-theirs)");
  }

  @Test
  void helmsDescriptionNamesTheOwnerWhenTheLabelIsMissing() {
    // A crash between Helm's success and the label: the description Orderly passed remains.
    Claim ours =
        ReleaseOwnership.claim(
            resource(), List.of(record(1, null, null, ReleaseOwnership.description(resource()))));
    assertThat(ours).isEqualTo(new Ours(false));

    Claim theirs =
        ReleaseOwnership.claim(
            resource(),
            List.of(
                record(1, null, null, "orderly.dev/owner-uid=uid-theirs (OrderedRelease b/x)")));
    assertThat(theirs).isEqualTo(new OtherOwner(THEIRS, "b/x"));
  }

  @Test
  void theNewestMarkedRevisionDecides() {
    // Revision 2 came from a helm CLI older than 3.13, which dropped the label: still ours.
    assertThat(
            ReleaseOwnership.claim(
                resource(),
                List.of(
                    record(1, OURS, "apps/web", null), record(2, null, null, "Upgrade complete"))))
        .isEqualTo(new Ours(false));
    // Revision 2 was relabelled by the OrderedRelease that adopted it from a deleted owner.
    assertThat(
            ReleaseOwnership.claim(
                resource(),
                List.of(record(1, OURS, "apps/web", null), record(2, THEIRS, "b/x", null))))
        .isEqualTo(new OtherOwner(THEIRS, "b/x"));
  }

  @Test
  void noMarkerAtAllIsUnclaimedWithTheNewestRevision() {
    Claim claim =
        ReleaseOwnership.claim(
            resource(),
            List.of(record(1, null, null, "Install complete"), record(3, null, null, null)));
    assertThat(claim).isEqualTo(new Unclaimed(3));
  }

  @Test
  void anUnmarkedReleaseStatusSaysThisObjectInstalledIsOurs() {
    // Installed by an Orderly that did not mark releases yet.
    OrderedRelease resource = withStatusRelease(resource(), "web", "apps", 4);
    assertThat(ReleaseOwnership.claim(resource, List.of(record(4, null, null, null))))
        .isEqualTo(new Ours(false));
    // Status about another release name (spec.releaseName changed since) proves nothing.
    OrderedRelease renamed = withStatusRelease(resource(), "old-name", "apps", 4);
    assertThat(ReleaseOwnership.claim(renamed, List.of(record(4, null, null, null))))
        .isEqualTo(new Unclaimed(4));
    // Status without a revision (never installed) proves nothing either.
    OrderedRelease never = withStatusRelease(resource(), "web", "apps", null);
    assertThat(ReleaseOwnership.claim(never, List.of(record(1, null, null, null))))
        .isEqualTo(new Unclaimed(1));
  }

  @Test
  void aFirstInstallCutShortIsOursWhenStatusSaysThisObjectStartedIt() {
    // Killed inside Helm's first install: revision 1 pending, with neither label nor description.
    Secret cutShort = withHelmStatus(record(1, null, null, null), "pending-install");
    OrderedRelease started = withStatusRelease(resource(), "web", "apps", null);
    assertThat(ReleaseOwnership.claim(started, List.of(cutShort))).isEqualTo(new Ours(false));
    Secret failed = withHelmStatus(record(1, null, null, null), "failed");
    assertThat(ReleaseOwnership.claim(started, List.of(failed))).isEqualTo(new Ours(false));
    // Without that intent in status it is anyone's.
    assertThat(ReleaseOwnership.claim(resource(), List.of(cutShort))).isEqualTo(new Unclaimed(1));
    // Intent for another release name, or a later revision, proves nothing.
    OrderedRelease other = withStatusRelease(resource(), "old-name", "apps", null);
    assertThat(ReleaseOwnership.claim(other, List.of(cutShort))).isEqualTo(new Unclaimed(1));
    Secret second = withHelmStatus(record(2, null, null, null), "pending-install");
    assertThat(
            ReleaseOwnership.claim(
                started, List.of(withHelmStatus(record(1, null, null, null), "failed"), second)))
        .isEqualTo(new Unclaimed(2));
    // A deployed unmarked release is somebody's finished install, not a cut-short one of ours.
    Secret deployed = record(1, null, null, null);
    assertThat(ReleaseOwnership.claim(started, List.of(deployed))).isEqualTo(new Unclaimed(1));
  }

  private static Secret withHelmStatus(Secret record, String status) {
    record.getMetadata().getLabels().put("status", status);
    return record;
  }

  @Test
  void anUnreadableRecordNamesNoOwner() {
    Secret broken = record(1, null, null, null);
    broken.getData().put("release", "not base64 !");
    assertThat(ReleaseOwnership.claim(resource(), List.of(broken))).isEqualTo(new Unclaimed(1));
  }

  @ParameterizedTest(name = "{0}, adopt={1}, ownerGone={2} -> {3}")
  @CsvSource({
    "none,      false, false, proceed",
    "ours,      false, false, proceed",
    "unclaimed, false, false, refuse",
    "unclaimed, true,  false, adopt",
    "other,     false, false, refuse",
    "other,     true,  false, refuse",
    "other,     false, true,  refuse",
    "other,     true,  true,  adopt",
  })
  void whatAnInstallOrUpgradeMayDo(String claim, boolean adopt, boolean ownerGone, String want) {
    OrderedRelease resource = resource();
    resource.getSpec().setAdoptRelease(adopt);
    var verdict = ReleaseOwnership.toApply(resource, claim(claim), ownerGone);
    switch (want) {
      case "proceed" -> assertThat(verdict).isEqualTo(new Proceed(false));
      case "adopt" -> assertThat(verdict).isEqualTo(new Proceed(true));
      default -> assertThat(verdict).isInstanceOf(Refuse.class);
    }
  }

  @Test
  void refusalsNameTheOwnerAndWhatToDo() {
    Refuse unclaimed = (Refuse) ReleaseOwnership.toApply(resource(), new Unclaimed(2), false);
    assertThat(unclaimed.message())
        .contains("Helm release apps/web (revision 2)")
        .contains("installed outside Orderly: by helm, Flux or another tool")
        .contains("spec.adoptRelease: true")
        .contains("spec.releaseName");

    OrderedRelease adopting = resource();
    adopting.getSpec().setAdoptRelease(true);
    Refuse owned =
        (Refuse) ReleaseOwnership.toApply(adopting, new OtherOwner(THEIRS, "team-b/web"), false);
    assertThat(owned.message())
        .contains("owned by OrderedRelease team-b/web (uid uid-theirs)")
        .contains("adoption does not apply")
        .contains("pick another spec.releaseName or spec.targetNamespace");

    Refuse orphaned =
        (Refuse) ReleaseOwnership.toApply(resource(), new OtherOwner(THEIRS, "team-b/web"), true);
    assertThat(orphaned.message())
        .contains("which no longer exists")
        .contains("spec.adoptRelease: true");
  }

  @ParameterizedTest(name = "{0}, adopt={1}, ownerGone={2}, installed={3} -> {4}")
  @CsvSource({
    "none,      false, false, false, NothingInstalled",
    "none,      false, false, true,  TearDown",
    "ours,      false, false, false, TearDown",
    "unclaimed, false, false, false, LeaveAlone",
    "unclaimed, true,  false, false, TearDown",
    "other,     false, false, false, LeaveAlone",
    "other,     true,  false, false, LeaveAlone",
    "other,     false, true,  false, LeaveAlone",
    "other,     true,  true,  false, TearDown",
  })
  void whatATeardownMayDo(
      String claim, boolean adopt, boolean ownerGone, boolean installed, TeardownVerdict want) {
    OrderedRelease resource =
        installed ? withStatusRelease(resource(), "web", "apps", 1) : resource();
    resource.getSpec().setAdoptRelease(adopt);
    assertThat(ReleaseOwnership.toTearDown(resource, claim(claim), ownerGone)).isEqualTo(want);
  }

  @Test
  void theLeftAloneMessageSaysNothingWasDeleted() {
    assertThat(ReleaseOwnership.leftAlone(resource(), new OtherOwner(THEIRS, "b/x")))
        .contains("Helm release apps/web is owned by OrderedRelease b/x (uid uid-theirs)")
        .contains("nothing was deleted");
    assertThat(ReleaseOwnership.leftAlone(resource(), new Unclaimed(1)))
        .contains("installed outside Orderly")
        .contains("nothing was deleted");
  }

  @Test
  void theDescriptionAndMarksNameTheObject() {
    assertThat(ReleaseOwnership.description(resource()))
        .isEqualTo("orderly.dev/owner-uid=uid-ours (OrderedRelease apps/web)");
    assertThat(ReleaseOwnership.labels(resource()))
        .containsEntry(ReleaseOwnership.OWNER_UID_LABEL, OURS);
    assertThat(ReleaseOwnership.annotations(resource()))
        .containsEntry(ReleaseOwnership.OWNER_ANNOTATION, "apps/web");
  }

  private static Claim claim(String name) {
    return switch (name) {
      case "none" -> new None();
      case "ours" -> new Ours(true);
      case "unclaimed" -> new Unclaimed(1);
      default -> new OtherOwner(THEIRS, "team-b/web");
    };
  }

  private static OrderedRelease resource() {
    OrderedRelease resource = new OrderedRelease();
    resource.setMetadata(
        new ObjectMetaBuilder().withNamespace("apps").withName("web").withUid(OURS).build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath("/charts/web"));
    resource.setSpec(spec);
    return resource;
  }

  private static OrderedRelease withStatusRelease(
      OrderedRelease resource, String name, String namespace, Integer revision) {
    ReleaseStatus release = new ReleaseStatus();
    release.setName(name);
    release.setNamespace(namespace);
    release.setRevision(revision);
    OrderedReleaseStatus status = new OrderedReleaseStatus();
    status.setRelease(release);
    resource.setStatus(status);
    return resource;
  }

  private static Secret record(int revision, String uid, String owner, String description) {
    return record("web", revision, uid, owner, description);
  }

  /** A release Secret as Helm writes it, with Orderly's label and annotation when given. */
  private static Secret record(
      String name, int revision, String uid, String owner, String description) {
    ObjectNode release = JSON.createObjectNode();
    release.put("name", name);
    release.put("namespace", "apps");
    release.put("version", revision);
    ObjectNode info = release.putObject("info");
    info.put("status", "deployed");
    if (description != null) {
      info.put("description", description);
    }
    Secret secret = ReleaseRecordCodec.encode(release);
    if (uid != null) {
      secret.getMetadata().getLabels().put(ReleaseOwnership.OWNER_UID_LABEL, uid);
    }
    if (owner != null) {
      secret.getMetadata().setAnnotations(new java.util.HashMap<>());
      secret.getMetadata().getAnnotations().put(ReleaseOwnership.OWNER_ANNOTATION, owner);
    }
    return secret;
  }
}
