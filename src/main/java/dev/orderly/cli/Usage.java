package dev.orderly.cli;

import dev.orderly.chart.KubeCapabilities;
import java.util.Optional;

/** The help texts: one per command, and the overview {@code orderly --help} prints. */
final class Usage {
  private Usage() {}

  static final String PLAN =
      """
      Usage: orderly plan <chart> [options]
             orderly plan oci://host/path/chart [--version V] [registry options] [options]
             orderly plan <chart> --from-cluster [options] [--kubeconfig FILE]
             orderly plan --from-cluster --release NAME [--namespace NS] [--kubeconfig FILE]
             orderly plan --from-cluster --order [--namespace NS | --all-namespaces]
                          [--no-cross-namespace-refs]

      Print the teardown Orderly would perform for a chart, then its hook findings.
      Contacts no cluster unless --from-cluster is given (lookup returns nothing, as in
      helm template). Exit status: 0 clean, 1 hook findings, 2 usage, chart or cluster error.

        --values FILE, -f    a values file (repeatable; later files win)
        --set a=1,b.c=x      values as helm takes them: comma-separated, {x,y} for a
                             list, \\, for a literal comma (repeatable)
        --release NAME       release name (default: the chart's name)
        --namespace NS, -n   release namespace (default: default)
        --kube-version V     Kubernetes version to render for (default: %s)
        --api-versions L, -a API versions .Capabilities.APIVersions.Has finds besides
                             Helm's built-in ones (repeatable, comma-separated)
        -o table|json        output format (default: table)
        --from-cluster       with a chart: render for the cluster's version and API
                             versions; without: plan from the release's latest record
        --kubeconfig FILE    with --from-cluster (default: KUBECONFIG, ~/.kube/config)
        --hook-timeout 5m    shown hook timeout (default 5m, as spec.uninstall)
        --timeout 10m        shown timeout of phases 2-7, and of 10 (default 10m)
        --crds Keep|Delete   as spec.uninstall.crds, for CRDs in templates/ (Keep)
        --order              with --from-cluster: instead of one release's teardown, the
                             waves in which the OrderedReleases of --namespace (or of
                             --all-namespaces, -A) would come down if all were deleted
                             at once (spec.dependsOn: dependents first); -o table|json.
                             Exit status 1 when some would never start (a cycle).
                             With --no-cross-namespace-refs, as an operator run with it:
                             dependsOn into another namespace orders nothing
        --help, -h           print this help

      A chart from an OCI registry is pulled first, as helm pull would:
        --version V          a tag or a semver range such as ^1.2 (default: the highest
                             stable version)
        --digest sha256:...  the manifest digest the chart must have
        --username U         with --password-stdin: the password is read from stdin
        --registry-config F  a Docker/Helm registry config.json with the registry's entry
        --plain-http         plain HTTP instead of HTTPS, for a local registry
      """
          .formatted(KubeCapabilities.DEFAULT_KUBE_VERSION);

  static final String RUN =
      """
      Usage: orderly run [options]

      Run the operator against a cluster until SIGTERM or SIGINT.
      Exit status: 1 when leadership was lost (restart to compete again), 2 for a usage error,
      a kubeconfig that cannot be used, a cluster that cannot be reached or a port that is taken.

        --kubeconfig FILE    kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)
        --namespaces a,b     namespaces to watch (default: all)
        --helm-threads N     Helm operations at once (default 4)
        --reconcile-threads N  reconciler threads (default 10)
        --work-dir DIR       chart cache and scratch space (default: java.io.tmpdir/orderly)
        --leader-election=true|false  elect a leader via Lease orderly-operator in
                             $POD_NAMESPACE (default: true)
        --metrics-port N     /metrics, /healthz, /readyz (default 8080; 0 picks one)
        --log-format text|json  log line format (default: text)
        --allowed-chart-paths DIR,DIR  directories chart.path may name, symlinks resolved
                             (default: /opt/orderly/charts, the image's charts)
        --allowed-repositories P,P  URL prefixes a chart repository, and every URL fetched
                             for it, must match (default: https://,oci://)
        --max-chart-archive-mib N  largest chart archive or OCI layer downloaded (default 20)
        --default-service-account NAME  a release naming no spec.serviceAccountName acts
                             as this ServiceAccount of its own namespace (default: the
                             operator's own identity)
        --no-cross-namespace-refs  refuse targetNamespace, dependsOn[].namespace and
                             uninstall.daemonSets[].namespace outside the
                             OrderedRelease's namespace
        --help, -h           print this help
      """;

  static final String UNINSTALL =
      """
      Usage: orderly uninstall RELEASE [-n NAMESPACE] [options]

      Tear a Helm release down in Orderly's ordered phases, as the operator does when an
      OrderedRelease is deleted, from the command line and with no operator: a drop-in for
      helm uninstall. Works on any release in Helm's record (helm, Argo CD, Flux, helmfile),
      against the kubeconfig's current context. Prints a line per phase as it starts and ends,
      what it waits for and until when, and how many pods are still terminating.
      Ctrl-C stops after the current action and prints the command that resumes; progress is
      kept in Secret RELEASE.orderly-uninstall next to Helm's record, so the same command run
      again goes on where it stopped and never runs a finished hook again.
      A release an OrderedRelease manages is refused: delete the OrderedRelease instead.
      Exit status: 0 done, 1 stopped on a failure, an API error included (phase, objects, why
      and the command that resumes are printed; also a release that is not there, that an
      OrderedRelease manages, or whose kept progress is of an earlier installation),
      2 usage or connection error before anything started, 130 interrupted.

        --namespace NS, -n   the release's namespace (default: default)
        --kubeconfig FILE    kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)
        --context NAME       a context of the kubeconfig (default: its current context)
        --timeout 10m        how long phases 2-7 and 8's CRD deletions may take together,
                             and phase 10 again on its own (spec.uninstall.timeout)
        --hook-timeout 5m    how long each pre- or post-delete hook may run
        --no-hooks           run no pre- or post-delete hook
        --keep-history       keep Helm's record, its latest revision marked uninstalled
        --cascade foreground|background  propagationPolicy of the deletes (default:
                             foreground; background lets RBAC go while pods still run)
        --on-timeout fail|continue  when a hook or phase runs out of time: stop with exit
                             status 1 (default), or go on with a warning
        --daemonsets-selector [NS/]key=value[,key=value]  DaemonSets outside the chart (made
                             by its operator) to delete in the DaemonSets phase (repeatable)
        --crds Keep|Delete   CRDs in templates/ (default Keep, as spec.uninstall.crds)
        --dry-run            print the plan from the cluster (plan --from-cluster); change
                             nothing
        -o text|json         output: text (default) or one JSON event per line
        --help, -h           print this help
      """;

  /** The overview: the commands, then each command's help. */
  static String overview() {
    return """
        Usage: orderly <command> [options]

        Commands:
          plan   Print the teardown Orderly would perform for a chart, then its hook findings.
          run    Run the operator against a cluster.
          uninstall  Tear a Helm release down in ordered phases, no operator needed.

        """
        + PLAN
        + "\n"
        + RUN
        + "\n"
        + UNINSTALL;
  }

  /** The help of {@code command}, or empty when there is no such command. */
  static Optional<String> of(String command) {
    return switch (command) {
      case "plan" -> Optional.of(PLAN);
      case "run" -> Optional.of(RUN);
      case "uninstall" -> Optional.of(UNINSTALL);
      default -> Optional.empty();
    };
  }
}
