package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.TeardownStep;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Where the teardown's steps are kept, and how status stays small. The full record (phase,
 * deadlines, every step with its hook manifest) goes to a Secret in the OrderedRelease's namespace,
 * the <em>ledger</em>, as gzip'ed JSON; status keeps a summary that fits in {@link
 * #MAX_SUMMARY_BYTES} whatever the chart's size. The ledger fits wherever Helm's own release record
 * does: that record is a Secret holding the whole gzip'ed chart, the ledger only the hooks'
 * manifests and one short entry per object.
 *
 * <p>Pure: encodes, decodes and summarises. The Secret calls are {@code
 * kube.TeardownLedgerStore}'s.
 */
public final class TeardownLedger {
  /** Appended to the OrderedRelease's name to name its ledger Secret. */
  public static final String SUFFIX = ".orderly-teardown";

  /** Appended to a Helm release's name to name the ledger of {@code orderly uninstall}. */
  public static final String UNINSTALL_SUFFIX = ".orderly-uninstall";

  /** The ledger Secret's data key. */
  public static final String DATA_KEY = "steps.json.gz";

  /** Label on the ledger Secret: the UID of the OrderedRelease whose teardown it records. */
  public static final String TEARDOWN_OF = "orderly.dev/teardown-of";

  /**
   * What status.teardown serialises to at most, in bytes of JSON, when a ledger holds the steps.
   */
  public static final int MAX_SUMMARY_BYTES = 16 * 1024;

  /** How many unfinished steps the summary names at most. */
  public static final int MAX_SHOWN = 20;

  /** How long a step's message may be in the summary, in characters. */
  public static final int MAX_MESSAGE = 256;

  /** How many namespaces the summary names at most. */
  public static final int MAX_NAMESPACES = 32;

  /** The most a ledger may unpack to; more is refused as corrupt rather than read. */
  public static final int MAX_DECODED_BYTES = 64 * 1024 * 1024;

  private static final int MAX_NAME = 253;

  private TeardownLedger() {}

  /**
   * The ledger Secret's name for OrderedRelease {@code release}: {@code
   * <release>.orderly-teardown}, or, when that would be longer than a Secret name may be, the
   * release name shortened and made unique again with a hash of it.
   */
  public static String secretName(String release) {
    return named(release, SUFFIX);
  }

  /**
   * The ledger Secret's name for {@code orderly uninstall} of Helm release {@code release}, kept
   * next to Helm's record: {@code <release>.orderly-uninstall}, shortened as {@link #secretName}. A
   * suffix of its own, so it never meets the ledger of an OrderedRelease of the same name.
   */
  public static String uninstallSecretName(String release) {
    return named(release, UNINSTALL_SUFFIX);
  }

  private static String named(String release, String suffix) {
    if (release.length() + suffix.length() <= MAX_NAME) {
      return release + suffix;
    }
    String hash = "-" + sha256(release).substring(0, 10);
    String prefix = release.substring(0, MAX_NAME - suffix.length() - hash.length());
    // A DNS subdomain's labels end alphanumeric; the cut may have left a '.' or '-' at the end.
    prefix = prefix.replaceAll("[^a-z0-9]+$", "");
    return prefix + hash + suffix;
  }

  /**
   * The record the ledger holds, as JSON: phase, times, revision and every step. The summary's
   * fields are left out; they are derived. Equal records give equal JSON, so a caller can tell
   * whether anything changed before writing.
   */
  public static String recordJson(TeardownStatus teardown) {
    TeardownStatus record = new TeardownStatus();
    record.setPhase(teardown.getPhase());
    record.setStartedAt(teardown.getStartedAt());
    record.setPhaseStartedAt(teardown.getPhaseStartedAt());
    record.setDeadline(teardown.getDeadline());
    record.setRevision(teardown.getRevision());
    record.setSteps(teardown.getSteps());
    return Serialization.asJson(record);
  }

  /** {@code recordJson}, gzip'ed: the ledger Secret's data. */
  public static byte[] compress(String recordJson) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(recordJson.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The record in a ledger's data, unpacking at most {@link #MAX_DECODED_BYTES}.
   *
   * @throws IllegalArgumentException when the data is not gzip'ed JSON of a record, or unpacks to
   *     more than the limit
   */
  public static TeardownStatus decode(byte[] data) {
    return Serialization.unmarshal(unpack(data, MAX_DECODED_BYTES), TeardownStatus.class);
  }

  /** The gzip'ed {@code data} as UTF-8 text, refusing to unpack more than {@code limit} bytes. */
  static String unpack(byte[] data, int limit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) != -1) {
        if (out.size() + read > limit) {
          throw new IllegalArgumentException(
              "the teardown ledger unpacks to more than " + limit + " bytes; refusing to read it");
        }
        out.write(buffer, 0, read);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the teardown ledger is not gzip'ed data: " + e.getMessage(), e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * What status.teardown holds when the ledger {@code ledger} has the steps: phase, times,
   * revision, the number of steps in each state, the namespaces the steps name, and the current
   * phase's unfinished steps, as many of the first {@link #MAX_SHOWN} as fit in {@link
   * #MAX_SUMMARY_BYTES}, without their manifests and with their messages shortened.
   */
  public static TeardownStatus summary(TeardownStatus full, String ledger) {
    TeardownStatus summary = header(full);
    summary.setLedger(ledger);
    summary.setSteps(List.of());
    List<TeardownStep> unfinished =
        full.getSteps().stream()
            .filter(step -> step.getPhase() == full.getPhase() && !step.isFinished())
            .toList();
    // Room for "unfinished":[...] and "unfinishedNotShown":<int> around the steps.
    int used = bytes(Serialization.asJson(summary)) + 64;
    List<TeardownStep> shown = new ArrayList<>();
    for (TeardownStep step : unfinished) {
      TeardownStep brief = brief(step);
      int size = bytes(Serialization.asJson(brief)) + 1;
      if (shown.size() == MAX_SHOWN || used + size > MAX_SUMMARY_BYTES) {
        break;
      }
      shown.add(brief);
      used += size;
    }
    if (!shown.isEmpty()) {
      summary.setUnfinished(shown);
    }
    if (shown.size() < unfinished.size()) {
      summary.setUnfinishedNotShown(unfinished.size() - shown.size());
    }
    return summary;
  }

  /**
   * What status.teardown holds when no ledger could be written: every step, as before there was a
   * ledger, with the counts and namespaces of the summary and {@code note} saying why.
   */
  public static TeardownStatus inStatus(TeardownStatus full, String note) {
    TeardownStatus kept = header(full);
    kept.setStepsNote(note);
    kept.setSteps(full.getSteps());
    return kept;
  }

  /**
   * Steps planned again after the ledger was lost while the teardown was in {@code phase}: what
   * belongs to an earlier phase is over, and the hooks of this phase may have run already, so they
   * are all marked Skipped rather than done or run a second time. The objects of this and later
   * phases are deleted as planned (a delete of what is gone is a success).
   */
  public static List<TeardownStep> afterLoss(
      TeardownPhase phase, List<TeardownStep> replanned, String why) {
    List<TeardownStep> steps = new ArrayList<>();
    for (TeardownStep planned : replanned) {
      TeardownStep step = planned.copy();
      boolean over =
          step.getPhase().compareTo(phase) < 0 || (step.getPhase() == phase && step.isHook());
      if (over) {
        step.setState(TeardownStep.State.Skipped);
        step.setMessage(why);
      }
      steps.add(step);
    }
    return steps;
  }

  private static TeardownStatus header(TeardownStatus full) {
    TeardownStatus header = new TeardownStatus();
    header.setPhase(full.getPhase());
    header.setStartedAt(full.getStartedAt());
    header.setPhaseStartedAt(full.getPhaseStartedAt());
    header.setDeadline(full.getDeadline());
    header.setRevision(full.getRevision());
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (TeardownStep.State state : TeardownStep.State.values()) {
      int count = (int) full.getSteps().stream().filter(s -> s.getState() == state).count();
      if (count > 0) {
        counts.put(state.name(), count);
      }
    }
    header.setStepCounts(counts);
    List<String> namespaces =
        full.getSteps().stream()
            .map(TeardownStep::getNamespace)
            .filter(ns -> ns != null && !ns.isEmpty())
            .distinct()
            .sorted()
            .limit(MAX_NAMESPACES)
            .toList();
    if (!namespaces.isEmpty()) {
      header.setNamespaces(namespaces);
    }
    return header;
  }

  /** The step without its manifest and delete policies, its message shortened. */
  static TeardownStep brief(TeardownStep step) {
    TeardownStep brief = step.copy();
    brief.setManifest(null);
    brief.setDeletePolicies(null);
    brief.setMessage(shorten(step.getMessage(), MAX_MESSAGE));
    return brief;
  }

  /** {@code text} cut to {@code max} characters, the cut marked; null stays null. */
  public static String shorten(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    // The mark takes at most 31 characters ("… (" + 10 digits + " more characters)").
    int keep = Math.max(0, max - 31);
    return text.substring(0, keep) + "… (" + (text.length() - keep) + " more characters)";
  }

  private static int bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
