package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Options for {@code helm upgrade}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeOptions {
  @Default("5m")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long Helm may take, including upgrade hooks, as a duration such as 90s or 5m."
          + " Defaults to 5m.")
  private String timeout = "5m";

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }
}
