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
              "**Reads around every delete (%.0f GETs per teardown for %d objects and hooks).**"
                  + " `StepObserver.observe` GETs every unfinished step of the current phase from"
                  + " the API server on each look, so each object is read before its DELETE and"
                  + " again after it, hooks are read on every look of the hook phase, and both"
                  + " DaemonSets are read again on every look of the later phases (to catch one"
                  + " that comes back). Jobs, Pods, DaemonSets and Deployments are already in"
                  + " informer caches, and a DELETE's answer (the object while it terminates, a"
                  + " Status once gone, 404 when it was already gone) says what the second GET"
                  + " asks.",
              gets, BenchChart.OBJECTS + BenchChart.HOOKS.size()));
    }
    double lists = orderly(means, Category.LIST);
    if (lists > 1) {
      findings.add(
          String.format(
              "**DaemonSets listed on every look (%.0f lists per teardown).**"
                  + " `TeardownExecutor.addOperatorDaemonSets` lists the namespace's DaemonSets"
                  + " (`ClusterObjects.daemonSets`) on each look of the DaemonSets phase, and each"
                  + " pod event of the 6 terminating pods is a look. The DaemonSet informer that"
                  + " `ReleaseEventSources` registers already holds them.",
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
