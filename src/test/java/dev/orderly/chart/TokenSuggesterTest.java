package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenSuggesterTest {

  private final TokenSuggester suggester =
      new TokenSuggester(
          List.of("pre-delete", "post-delete"), Map.of("pre-uninstall", "pre-delete"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "PreDelete, pre-delete",
    "preDelete, pre-delete",
    "PRE_DELETE, pre-delete",
    "pre delete, pre-delete",
    "pre.delete, pre-delete",
    "' pre-delete ', pre-delete",
    "hook2Succeeded, hook2-succeeded"
  })
  void canonicalFormUndoesCaseAndSeparatorVariants(String token, String canonical) {
    assertThat(TokenSuggester.canonicalForm(token)).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0} / {1} = {2}")
  @CsvSource({
    "pre-delete, pre-delete, 0",
    "pre-delet, pre-delete, 1",
    "pre-dleete, pre-delete, 2",
    "'', test, 4",
    "kitten, sitting, 3"
  })
  void editDistanceCountsSingleCharacterEdits(String a, String b, int distance) {
    assertThat(TokenSuggester.editDistance(a, b)).isEqualTo(distance);
    assertThat(TokenSuggester.editDistance(b, a)).isEqualTo(distance);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "pre-uninstall, pre-delete",
    "pre-uninstal, pre-delete",
    "post-delte, post-delete",
    "PostDelete, post-delete",
    "'', 'one of: pre-delete, post-delete'",
    "rollout, 'one of: pre-delete, post-delete'"
  })
  void suggestsKnownFixVariantNearestOrTheWholeList(String token, String fix) {
    assertThat(suggester.suggest(token)).isEqualTo(fix);
  }
}
