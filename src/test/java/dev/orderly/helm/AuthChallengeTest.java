package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void basic() {
    AuthChallenge challenge = AuthChallenge.parse("Basic realm=\"Registry Realm\"").orElseThrow();
    assertThat(challenge.isBasic()).isTrue();
    assertThat(challenge.parameter("realm")).contains("Registry Realm");
  }

  @Test
  void bearerAsDockerHubAndGhcrSendIt() {
    AuthChallenge challenge =
        AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                    + "scope=\"repository:library/nginx:pull\"")
            .orElseThrow();
    assertThat(challenge.isBearer()).isTrue();
    assertThat(challenge.parameters())
        .isEqualTo(
            Map.of(
                "realm", "https://auth.docker.io/token",
                "service", "registry.docker.io",
                "scope", "repository:library/nginx:pull"));
  }

  @Test
  void unquotedValuesSpacesAndEscapes() {
    AuthChallenge challenge =
        AuthChallenge.parse("bearer Realm=https://r/token , service=reg, error=\"a \\\"b\\\"\"")
            .orElseThrow();
    assertThat(challenge.isBearer()).isTrue();
    assertThat(challenge.parameter("realm")).contains("https://r/token");
    assertThat(challenge.parameter("service")).contains("reg");
    assertThat(challenge.parameter("error")).contains("a \"b\"");
  }

  @Test
  void noHeaderNoChallenge() {
    assertThat(AuthChallenge.parse(null)).isEmpty();
    assertThat(AuthChallenge.parse(" ")).isEmpty();
  }
}
