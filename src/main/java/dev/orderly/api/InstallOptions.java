package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Options for {@code helm install}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstallOptions {
  @Default("5m")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long Helm may take, including post-install hooks, as a duration such as 90s or 5m."
          + " Defaults to 5m.")
  private String timeout = "5m";

  @JsonPropertyDescription(
      "Install even when the chart has invalid hook annotations. The findings stay in the"
          + " HooksValid condition.")
  private boolean allowInvalidHooks;

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public boolean isAllowInvalidHooks() {
    return allowInvalidHooks;
  }

  public void setAllowInvalidHooks(boolean allowInvalidHooks) {
    this.allowInvalidHooks = allowInvalidHooks;
  }
}
