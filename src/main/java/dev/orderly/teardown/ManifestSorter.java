package dev.orderly.teardown;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.orderly.chart.HelmHookAnnotations;
import dev.orderly.chart.RenderedObject;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.ManifestObjects;
import dev.orderly.helm.ReleaseObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits a rendered chart's objects into what Helm would record: release objects, hooks, and the
 * objects Helm drops because their {@code helm.sh/hook} names an unknown event. Follows Helm's
 * {@code pkg/releaseutil/manifest_sorter.go} (v3.21), so a plan made from a render matches the plan
 * the operator makes from the stored release.
 */
public final class ManifestSorter {

  /**
   * The sorted objects, each list in rendering order.
   *
   * @param objects the release's plain objects, as {@link ManifestObjects} reads a stored manifest
   * @param hooks the hooks Helm keeps, as Helm stores them
   * @param dropped the objects Helm skips entirely: neither installed nor run nor tracked
   */
  public record Sorted(
      List<ReleaseObject> objects, List<HelmHook> hooks, List<RenderedObject> dropped) {
    public Sorted {
      objects = List.copyOf(objects);
      hooks = List.copyOf(hooks);
      dropped = List.copyOf(dropped);
    }
  }

  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
  // Go's strconv.Atoi: an optional sign and ASCII digits (Java's parser also takes other digits).
  private static final Pattern ATOI = Pattern.compile("[+-]?[0-9]+");

  private ManifestSorter() {}

  /**
   * Sorts {@code rendered} as Helm would on install.
   *
   * @throws IllegalArgumentException when a plain object has no kind or name, which Helm refuses
   */
  public static Sorted sort(List<RenderedObject> rendered) {
    List<ReleaseObject> objects = new ArrayList<>();
    List<HelmHook> hooks = new ArrayList<>();
    List<RenderedObject> dropped = new ArrayList<>();
    for (RenderedObject object : rendered) {
      if (!object.isHook()) {
        objects.addAll(releaseObjects(object));
        continue;
      }
      List<String> events = events(object.annotations().get(HelmHookAnnotations.HOOK));
      if (events == null) {
        dropped.add(object);
      } else {
        hooks.add(hook(object, events));
      }
    }
    return new Sorted(objects, hooks, dropped);
  }

  /**
   * The events Helm reads from a {@code helm.sh/hook} value, or null when one is unknown, in which
   * case Helm skips the resource.
   */
  static List<String> events(String value) {
    List<String> events = new ArrayList<>();
    for (String token : value.split(",", -1)) {
      String event = HelmHookAnnotations.normalize(token);
      if (!HelmHookAnnotations.isEvent(event)) {
        return null;
      }
      events.add(HelmHookAnnotations.LEGACY_TEST_EVENT.equals(event) ? "test" : event);
    }
    return events;
  }

  private static HelmHook hook(RenderedObject object, List<String> events) {
    Map<String, String> annotations = object.annotations();
    return new HelmHook(
        object.name(),
        object.kind(),
        object.sourcePath(),
        yaml(object.object()),
        events,
        weight(annotations.get(HelmHookAnnotations.HOOK_WEIGHT)),
        policies(annotations.get(HelmHookAnnotations.HOOK_DELETE_POLICY)));
  }

  /**
   * Helm's weight: {@code strconv.Atoi} of the raw value, 0 when absent or not an integer. Go's
   * {@code int} is 64 bits on amd64 and arm64, so 3000000000 is a weight like any other.
   */
  static long weight(String value) {
    if (value == null || !ATOI.matcher(value).matches()) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0; // beyond 64 bits: Atoi fails and Helm uses 0
    }
  }

  /** Each comma-separated entry trimmed and lower-cased, unknown ones kept, as Helm stores them. */
  static List<String> policies(String value) {
    if (value == null) {
      return List.of();
    }
    List<String> policies = new ArrayList<>();
    for (String token : value.split(",", -1)) {
      policies.add(HelmHookAnnotations.normalize(token));
    }
    return policies;
  }

  /**
   * Reads a plain object through the same parser as a stored manifest, so namespaces, metadata and
   * {@code kind: List} items come out exactly as the operator will see them.
   */
  private static List<ReleaseObject> releaseObjects(RenderedObject object) {
    String source = object.sourcePath().isEmpty() ? "" : "# Source: " + object.sourcePath() + "\n";
    return ManifestObjects.parse(source + yaml(object.object()));
  }

  private static String yaml(Map<String, Object> object) {
    try {
      return YAML.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write a rendered object as YAML", e);
    }
  }
}
