package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.orderly.chart.TemplateActions.Token;
import dev.orderly.chart.TemplateActions.Type;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The template lexer and the rewrites made with it, on template text alone. */
class TemplateRewriterTest {

  private static final KubeCapabilities ADDED =
      KubeCapabilities.offline("v1.30.0", List.of("example.com/v1"));
  private static final KubeCapabilities CLUSTER =
      KubeCapabilities.ofCluster("v1.31.0", List.of("v1", "example.com/v1"));

  @Test
  void splitsAnActionIntoTokensKeepingLiteralsAndCommentsWhole() {
    List<Token> tokens =
        TemplateActions.tokens("- if (eq \"a }} b\" `raw\n`) /* c */ | not $x.y -");

    assertThat(tokens)
        .extracting(Token::type, Token::text)
        .containsExactly(
            tuple(Type.WORD, "-"),
            tuple(Type.SPACE, " "),
            tuple(Type.WORD, "if"),
            tuple(Type.SPACE, " "),
            tuple(Type.OPEN, "("),
            tuple(Type.WORD, "eq"),
            tuple(Type.SPACE, " "),
            tuple(Type.LITERAL, "\"a }} b\""),
            tuple(Type.SPACE, " "),
            tuple(Type.LITERAL, "`raw\n`"),
            tuple(Type.CLOSE, ")"),
            tuple(Type.SPACE, " "),
            tuple(Type.COMMENT, "/* c */"),
            tuple(Type.SPACE, " "),
            tuple(Type.PIPE, "|"),
            tuple(Type.SPACE, " "),
            tuple(Type.WORD, "not"),
            tuple(Type.SPACE, " "),
            tuple(Type.WORD, "$x.y"),
            tuple(Type.SPACE, " "),
            tuple(Type.WORD, "-"));
  }

  @Test
  void anActionEndsAtTheFirstCloseOutsideAStringAndTextIsCopiedAsIs() {
    String text = "a: {{ \"}}\" }} b: {{x}} {{ open";

    assertThat(TemplateActions.rewrite(text, tokens -> "[" + tokens.size() + "]"))
        .isEqualTo("a: {{[3]}} b: {{[1]}} {{ open");
  }

  @Test
  void quotesEscapedForYamlDelimitALiteral() {
    // A YAML double-quoted value escapes its quotes; the lexer must not swallow the next lines.
    String text = "v: \"{{ f \\\"a\\\" }}\"\nw: {{ g }}";

    assertThat(TemplateActions.rewrite(text, tokens -> "<" + TemplateActions.text(tokens) + ">"))
        .isEqualTo(
            text.replace("{{ f \\\"a\\\" }}", "{{< f \\\"a\\\" >}}")
                .replace("{{ g }}", "{{< g >}}"));
  }

  static Stream<Arguments> hasCalls() {
    String list = "(list \"example.com/v1\")";
    return Stream.of(
        arguments(
            "{{ .Capabilities.APIVersions.Has \"example.com/v1\" }}",
            "{{ (or (.Capabilities.APIVersions.Has \"example.com/v1\") (has \"example.com/v1\" "
                + list
                + ")) }}",
            "{{ (has \"example.com/v1\" (list \"v1\" \"example.com/v1\")) }}"),
        arguments(
            "{{- if $.Capabilities.APIVersions.Has $v -}}",
            "{{- if (or ($.Capabilities.APIVersions.Has $v) (has $v " + list + ")) -}}",
            "{{- if (has $v (list \"v1\" \"example.com/v1\")) -}}"),
        arguments(
            "{{ if and ($root.Capabilities.APIVersions.Has (printf \"%s/v1\" .g)) .x }}",
            "{{ if and ((or ($root.Capabilities.APIVersions.Has (printf \"%s/v1\" .g)) (has"
                + " (printf \"%s/v1\" .g) "
                + list
                + "))) .x }}",
            "{{ if and ((has (printf \"%s/v1\" .g) (list \"v1\" \"example.com/v1\"))) .x }}"));
  }

  @ParameterizedTest
  @MethodSource("hasCalls")
  void aHasCallAlsoFindsTheAddedVersionsOrOnlyTheClusters(
      String template, String added, String cluster) {
    assertThat(new TemplateRewriter(ADDED).rewrite(template)).isEqualTo(added);
    assertThat(new TemplateRewriter(CLUSTER).rewrite(template)).isEqualTo(cluster);
  }

  @ParameterizedTest
  @MethodSource("hasCalls")
  void restoreShowsTheCallAsWritten(String template, String added, String cluster) {
    TemplateRewriter rewriter = new TemplateRewriter(ADDED);
    String rewritten = rewriter.rewrite(template);

    assertThat(rewriter.restore("error at <" + rewritten + ">"))
        .isEqualTo("error at <" + template + ">");
  }

  @Test
  void leavesAloneWhatIsNoHasCall() {
    String template =
        String.join(
            "\n",
            "text .Capabilities.APIVersions.Has \"x\" outside actions",
            "{{ \".Capabilities.APIVersions.Has \\\"x\\\"\" }}",
            "{{ \"x\" | .Capabilities.APIVersions.Has }}",
            "{{ (index . \"c\").Capabilities.APIVersions.Has \"x\" }}",
            "{{ range .Capabilities.APIVersions }}{{ . }}{{ end }}",
            "{{/* .Capabilities.APIVersions.Has \"x\" */}}");

    assertThat(new TemplateRewriter(CLUSTER).rewrite(template)).isEqualTo(template);
  }

  static Stream<Arguments> lookups() {
    String offline = TemplateRewriter.OFFLINE_LOOKUP;
    return Stream.of(
        arguments(
            "{{ lookup \"v1\" \"Secret\" .ns \"s\" }}",
            "{{ " + offline + " \"v1\" \"Secret\" .ns \"s\" }}"),
        arguments(
            "{{- $s := (lookup \"v1\" \"Secret\" $ns $n).data -}}",
            "{{- $s := (" + offline + " \"v1\" \"Secret\" $ns $n).data -}}"),
        arguments(
            "{{ \"n\" | lookup \"v1\" \"Namespace\" \"\" }}",
            "{{ \"n\" | " + offline + " \"v1\" \"Namespace\" \"\" }}"),
        arguments(
            "v: '{{ lookup \"v1\" \"ConfigMap\" .Release.Namespace \"x\" }}'",
            "v: '{{ " + offline + " \"v1\" \"ConfigMap\" .Release.Namespace \"x\" }}'"),
        arguments(
            "v: \"{{ lookup \\\"v1\\\" \\\"Secret\\\" .ns \\\"s\\\" }}\"",
            "v: \"{{ " + offline + " \\\"v1\\\" \\\"Secret\\\" .ns \\\"s\\\" }}\""));
  }

  @ParameterizedTest
  @MethodSource("lookups")
  void everyLookupCallBecomesAnEmptyMap(String template, String offline) {
    TemplateRewriter rewriter = new TemplateRewriter(KubeCapabilities.offlineDefault());

    assertThat(rewriter.rewrite(template)).isEqualTo(offline);
    assertThat(rewriter.restore(offline)).isEqualTo(template);
  }

  @Test
  void lookupAsTextFieldVariableOrStringIsLeftAlone() {
    String template =
        String.join(
            "\n",
            "text: lookup \"v1\" \"Secret\"",
            "{{ .Values.lookup }} {{ $lookup }} {{ $.lookup.x }} {{ \"lookup\" }} {{ `lookup` }}",
            "{{/* lookup \"v1\" \"Secret\" */}} {{ lookups }} {{ mylookup }}");

    assertThat(new TemplateRewriter(KubeCapabilities.offlineDefault()).rewrite(template))
        .isEqualTo(template);
  }

  @Test
  void withNothingAddedOfflineTheTemplateIsUntouched() {
    String template = "{{ .Capabilities.APIVersions.Has \"example.com/v1\" }}";

    assertThat(new TemplateRewriter(KubeCapabilities.offlineDefault()).rewrite(template))
        .isEqualTo(template);
  }

  @Test
  void quotesInAnApiVersionAreEscaped() {
    TemplateRewriter rewriter =
        new TemplateRewriter(KubeCapabilities.offline("v1.30.0", List.of("a\"b/v1")));

    assertThat(rewriter.rewrite("{{ .Capabilities.APIVersions.Has .v }}"))
        .contains("(list \"a\\\"b/v1\")");
  }
}
