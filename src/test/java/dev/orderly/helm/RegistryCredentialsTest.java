package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {
  @Test
  void readsUsernameAndPasswordOfTheHost() {
    String config =
        "{\"auths\":{\"other.io\":{\"username\":\"x\",\"password\":\"y\"},"
            + "\"127.0.0.1:5000\":{\"username\":\"orderly\",\"password\":\"p\"}}}";
    RegistryCredentials credentials =
        RegistryCredentials.fromDockerConfig(config, "127.0.0.1:5000", "Secret a/b").orElseThrow();
    assertThat(credentials.username()).isEqualTo("orderly");
    assertThat(credentials.password()).isEqualTo("p");
    assertThat(credentials).hasToString("credentials of Secret a/b");
  }

  @Test
  void decodesAuthAndMatchesKeysWithSchemeAndPath() {
    String auth = Base64.getEncoder().encodeToString("me:pa:ss".getBytes(StandardCharsets.UTF_8));
    String config = "{\"auths\":{\"https://ghcr.io/v1/\":{\"auth\":\"" + auth + "\"}}}";
    RegistryCredentials credentials =
        RegistryCredentials.fromDockerConfig(config, "ghcr.io", "file").orElseThrow();
    assertThat(credentials.username()).isEqualTo("me");
    assertThat(credentials.password()).isEqualTo("pa:ss");
    assertThat(credentials.basicAuthorization())
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("me:pa:ss".getBytes()));
  }

  @Test
  void noEntryForTheHostAndBrokenConfigs() {
    assertThat(RegistryCredentials.fromDockerConfig("{\"auths\":{}}", "ghcr.io", "f")).isEmpty();
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfig("{", "ghcr.io", "f"))
        .hasMessage("is not valid JSON");
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfig("{}", "ghcr.io", "f"))
        .hasMessage("has no \"auths\" map");
    assertThatThrownBy(
            () ->
                RegistryCredentials.fromDockerConfig(
                    "{\"auths\":{\"ghcr.io\":{\"auth\":\"!!\"}}}", "ghcr.io", "f"))
        .hasMessage("has an \"auth\" for ghcr.io that is not base64");
  }
}
