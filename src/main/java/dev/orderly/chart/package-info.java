/**
 * Renders Helm charts with every resource visible and validates their hook annotations.
 *
 * <p>Why the rewrite trick: Helm sorts rendered manifests by their {@code helm.sh/hook} annotation
 * before anyone can look at them. A resource naming an unknown event ({@code pre-uninstall}, Helm
 * 2's {@code crd-install}, a typo) is dropped with one "skipping unknown hook" log line and no
 * error, and {@code helm template} as exposed by helm-java prints only the release manifest, so
 * even valid hooks never reach us. {@link dev.orderly.chart.ChartRenderer} therefore renames the
 * {@code helm.sh/hook*} keys consistently in a temporary copy of the chart, lets Helm render every
 * object as a plain resource (template expressions and helpers included), and renames the keys back
 * in the output. {@link dev.orderly.chart.HookValidator} then checks the annotations exactly as
 * Helm would parse them.
 *
 * <p>The same copy is where {@link dev.orderly.chart.TemplateRewriter} makes {@code lookup} return
 * nothing and {@code .Capabilities.APIVersions.Has} see the requested API versions, which
 * helm-java's {@code template} cannot be told.
 */
package dev.orderly.chart;
