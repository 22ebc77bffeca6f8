package dev.orderly.cli;

import dev.orderly.api.UninstallOptions;
import dev.orderly.teardown.ChartPlan;

/**
 * Everything {@code orderly plan} prints: the plan, the options it was made with (for the timeouts)
 * and where it came from, e.g. the chart path or the release Secret.
 */
record PlanReport(ChartPlan plan, UninstallOptions options, String origin) {}
