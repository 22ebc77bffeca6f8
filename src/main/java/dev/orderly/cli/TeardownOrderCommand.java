package dev.orderly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.OrderedRelease;
import dev.orderly.dependencies.DependencyGraph;
import dev.orderly.dependencies.DependencyGraph.Key;
import dev.orderly.dependencies.DependencyGraph.TeardownOrder;
import dev.orderly.dependencies.ReleaseNodes;
import dev.orderly.reconciler.TeardownCoordinator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code orderly plan --from-cluster --order}: the waves in which the OrderedReleases of a
 * namespace (or of every namespace) would come down if all were deleted at once, from their
 * spec.dependsOn, as the operator orders them. Exit status 0, 1 when some would never start (a
 * cycle, or a dependent that stays), 2 for usage or cluster errors.
 */
final class TeardownOrderCommand {
  private static final Set<String> KNOWN =
      Set.of(
          "from-cluster",
          "order",
          "namespace",
          "n",
          "all-namespaces",
          "A",
          "output",
          "o",
          "kubeconfig",
          "no-cross-namespace-refs");

  private TeardownOrderCommand() {}

  /** Whether {@code args} ask for the order rather than a chart's plan. */
  static boolean wanted(Arguments args) {
    return args.flag("order") && !args.value("order").orElse("").equals("false");
  }

  static int run(Arguments args, PrintStream out) {
    args.requireKnown("plan --order", KNOWN);
    if (!args.flag("from-cluster") || args.value("from-cluster").orElse("").equals("false")) {
      throw new IllegalArgumentException("--order reads the OrderedReleases: add --from-cluster");
    }
    for (String flag :
        List.of("order", "from-cluster", "all-namespaces", "A", "no-cross-namespace-refs")) {
      String value = args.value(flag).orElse("true");
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(
            "--order plans the OrderedReleases in the cluster, not a chart: remove " + value);
      }
    }
    boolean all = args.bool("all-namespaces", false) || args.bool("A", false);
    Optional<String> namespace = args.value("namespace").or(() -> args.value("n"));
    if (all && namespace.isPresent()) {
      throw new IllegalArgumentException("--all-namespaces and --namespace: choose one");
    }
    String format = args.value("output").or(() -> args.value("o")).orElse("table");
    if (!format.equals("table") && !format.equals("json")) {
      throw new IllegalArgumentException("-o takes table or json, not '" + format + "'");
    }
    String scope = all ? null : namespace.orElse(PlanOptions.DEFAULT_NAMESPACE);
    ClusterTarget target =
        ClusterTarget.load(args.value("kubeconfig").map(Path::of).orElse(null), System.getenv());
    List<OrderedRelease> everywhere;
    String note = null;
    try (KubernetesClient client = target.quickClient()) {
      try {
        // Dependents may live in other namespaces: read them all when allowed.
        everywhere = client.resources(OrderedRelease.class).inAnyNamespace().list().getItems();
      } catch (KubernetesClientException e) {
        if (scope == null || e.getCode() != 403) {
          throw e;
        }
        everywhere = client.resources(OrderedRelease.class).inNamespace(scope).list().getItems();
        note =
            "not allowed to list OrderedReleases in every namespace: dependents in other"
                + " namespaces are not shown";
      }
    } catch (KubernetesClientException e) {
      throw target.failure("list the OrderedReleases", e);
    }
    // As an operator run with --no-cross-namespace-refs: edges into other namespaces order nothing.
    boolean crossNamespace = !args.bool("no-cross-namespace-refs", false);
    DependencyGraph graph = ReleaseNodes.graph(everywhere, crossNamespace);
    List<Key> set =
        everywhere.stream()
            .map(ReleaseNodes::key)
            .filter(k -> scope == null || k.namespace().equals(scope))
            .sorted()
            .toList();
    // As the operator: a forced release, or one not waiting for dependents, goes at once.
    Map<Key, String> notWaiting = new TreeMap<>();
    for (OrderedRelease release : everywhere) {
      notWaiting(release).ifPresent(why -> notWaiting.put(ReleaseNodes.key(release), why));
    }
    TeardownOrder order = graph.teardownOrder(set, notWaiting.keySet());
    out.print(
        format.equals("json")
            ? json(order, scope, note, notWaiting)
            : table(order, graph, set.size(), scope, note, notWaiting));
    return order.waiting().isEmpty() ? PlanCommand.CLEAN : PlanCommand.FINDINGS;
  }

  /** Why {@code release} would not wait for its dependents, as the operator words it; or empty. */
  static Optional<String> notWaiting(OrderedRelease release) {
    Map<String, String> annotations = release.getMetadata().getAnnotations();
    if (annotations != null
        && "true".equalsIgnoreCase(annotations.get(TeardownCoordinator.FORCE))) {
      return Optional.of(TeardownCoordinator.FORCE + " is set");
    }
    if (release.getSpec() != null && !release.getSpec().getUninstall().isWaitForDependents()) {
      return Optional.of("uninstall.waitForDependents is false");
    }
    return Optional.empty();
  }

  static String table(
      TeardownOrder order,
      DependencyGraph graph,
      int count,
      String scope,
      String note,
      Map<Key, String> notWaiting) {
    StringBuilder text = new StringBuilder();
    text.append("Teardown order of ")
        .append(count)
        .append(count == 1 ? " OrderedRelease" : " OrderedReleases")
        .append(scope == null ? " in every namespace" : " in namespace " + scope)
        .append(", if all were deleted at once\n");
    if (note != null) {
      text.append("Note: ").append(note).append('\n');
    }
    text.append(
        "A wave starts once every release of the waves before it is gone; the releases of one"
            + " wave go down in parallel.\n\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("WAVE", "ORDEREDRELEASE", "AFTER"));
    for (int i = 0; i < order.waves().size(); i++) {
      for (Key key : order.waves().get(i)) {
        List<Key> after = graph.dependentsOf(key);
        String why = notWaiting.get(key);
        rows.add(
            List.of(
                String.valueOf(i + 1),
                key.toString(),
                after.isEmpty()
                    ? "-"
                    : why != null
                        ? "- (not waiting for " + DependencyGraph.join(after) + ": " + why + ")"
                        : DependencyGraph.join(after)));
      }
    }
    for (Map.Entry<Key, String> waiting : order.waiting().entrySet()) {
      rows.add(List.of("never", waiting.getKey().toString(), waiting.getValue()));
    }
    text.append(columns(rows));
    if (!order.waiting().isEmpty()) {
      text.append(
          "\nA release marked never waits until its dependents are gone: annotate it"
              + " orderly.dev/force or set spec.uninstall.waitForDependents: false to let it go.\n");
    }
    return text.toString();
  }

  private static String columns(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(
            i == row.size() - 1
                ? row.get(i)
                : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  static String json(TeardownOrder order, String scope, String note, Map<Key, String> notWaiting) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    if (scope == null) {
      root.put("allNamespaces", true);
    } else {
      root.put("namespace", scope);
    }
    if (note != null) {
      root.put("note", note);
    }
    ArrayNode waves = root.putArray("waves");
    for (List<Key> wave : order.waves()) {
      ArrayNode names = waves.addArray();
      wave.forEach(key -> names.add(key.toString()));
    }
    ObjectNode waiting = root.putObject("never");
    order.waiting().forEach((key, why) -> waiting.put(key.toString(), why));
    // Those of the set that start at once whatever their dependents, and why.
    List<Key> planned = order.waves().stream().flatMap(List::stream).toList();
    ObjectNode forced = mapper.createObjectNode();
    notWaiting.forEach(
        (key, why) -> {
          if (planned.contains(key)) {
            forced.put(key.toString(), why);
          }
        });
    if (!forced.isEmpty()) {
      root.set("notWaiting", forced);
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
