package dev.orderly.bench;

import dev.orderly.bench.RequestAudit.Category;
import dev.orderly.bench.RequestAudit.Sender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the operator spends requests it does not need, each named by the code that sends them and
 * shown only when the overhead run's requests show it.
 */
final class Findings {
  private Findings() {}

  static List<String> of(TeardownRun overhead) {
    Map<Category, Map<Sender, Double>> means = Summary.requestMeans(overhead);
    List<String> findings = new ArrayList<>();
    double gets = orderly(means, Category.OBJECT_GET);
    if (gets > 0) {
      findings.add(
          String.format(
              "**Reads while watches start (%.0f GETs per teardown for %d objects and hooks).**"
                  + " Each phase starts the informers of its kinds in the namespace"
                  + " (`OnDemandWatches`) when it begins; until one has synced, `StepObserver`"
                  + " reads that kind's objects by GET, so a phase's first look usually GETs them."
                  + " An object a cache still shows after 15 s is read by GET too (`CacheDoubt`).",
              gets, BenchChart.OBJECTS + BenchChart.HOOKS.size()));
    }
    double lists = orderly(means, Category.LIST);
    if (lists > 1) {
      findings.add(
          String.format(
              "**Informer starts (%.0f lists per teardown).** Informers start per phase, per"
                  + " kind and per namespace (`OnDemandWatches`), each with a LIST and a WATCH;"
                  + " with one release per namespace none is shared, and a kind needed again in a"
                  + " later phase (DaemonSets until RBAC is gone) keeps its informer.",
              lists));
    }
    double helm = helm(means);
    if (helm > 1) {
      findings.add(
          String.format(
              "**Helm repeats the teardown (%.0f requests by Helm, %.0f of them DELETEs of"
                  + " objects already gone).** Something still calls Helm during the teardown;"
                  + " `TeardownExecutor.removeRelease` deletes the record Secrets (labels"
                  + " owner=helm, name=<release>) itself, one request per revision, and should be"
                  + " the only request of the Release phase besides the list.",
              helm, mean(means, Category.DELETE_AGAIN)));
    }
    if (mean(means, Category.FINALIZER_RETRY) > 0) {
      findings.add(
          "**The finalizer removal conflicts on every teardown (409, then a GET and a second"
              + " PATCH).** `TeardownCoordinator.cleanup` persists the Done phase"
              + " (`saveIfChanged`, a PUT of /status that changes the resourceVersion) and then"
              + " returns `DeleteControl.defaultDelete()`; JOSDK patches the finalizer away with"
              + " the resourceVersion of the object `cleanup()` was given, gets 409 Conflict,"
              + " re-reads and retries. Carrying the new resourceVersion over to that object, or"
              + " not writing status right before the removal, saves two requests and a round"
              + " trip.");
    }
    double events = mean(means, Category.EVENT);
    if (events > 0) {
      findings.add(
          String.format(
              "**%.0f Events per teardown**, by design (one per phase change, empty phases"
                  + " included, one per hook, one at the end).",
              events));
    }
    return findings;
  }

  private static double orderly(Map<Category, Map<Sender, Double>> means, Category category) {
    return means.getOrDefault(category, Map.of()).getOrDefault(Sender.Orderly, 0.0);
  }

  private static double mean(Map<Category, Map<Sender, Double>> means, Category category) {
    return means.getOrDefault(category, Map.of()).values().stream()
        .mapToDouble(Double::doubleValue)
        .sum();
  }

  private static double helm(Map<Category, Map<Sender, Double>> means) {
    return means.values().stream().mapToDouble(m -> m.getOrDefault(Sender.Helm, 0.0)).sum();
  }
}
