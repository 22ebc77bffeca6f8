package dev.orderly.ops;

import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.UUID;

/**
 * fabric8 clients for the {@link TestApiServer}, one per role a test plays, so a test can tell the
 * operator's API calls from its own in the server's journal.
 */
final class OperatorClients {
  /**
   * The Accept header of every request a test (or its cluster simulator) makes through {@link
   * #testSide}; the journal records Accept, so requests without it are the operator's and Helm's.
   */
  static final String TEST_SIDE_ACCEPT = "application/json;orderly-test-side=true";

  private static final String RULES_REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private OperatorClients() {}

  /**
   * A client for an operator replica. JOSDK posts a SelfSubjectRulesReview before it joins the
   * leader election, and refuses to start without the Lease permissions. The test API server has no
   * authorizer and allows everything; this client sends the review with the answer an API server
   * would give for an identity holding {@code rules}, which the server then echoes back; every
   * other request goes out untouched.
   */
  static KubernetesClient operator(TestApiServer server, List<ResourceRule> rules) {
    return build(server, new RulesReviewAnswer(rules));
  }

  /** A client whose requests carry {@link #TEST_SIDE_ACCEPT}: the test's own reads and writes. */
  static KubernetesClient testSide(TestApiServer server) {
    return build(
        server,
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.setHeader("Accept", TEST_SIDE_ACCEPT);
          }
        });
  }

  /** Every verb on every resource, as a cluster admin holds. */
  static List<ResourceRule> everything() {
    return List.of(
        new ResourceRuleBuilder().withApiGroups("*").withResources("*").withVerbs("*").build());
  }

  private static KubernetesClient build(TestApiServer server, Interceptor interceptor) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url())
                .withNamespace("default")
                .withHttp2Disable(true)
                .withRequestRetryBackoffLimit(0)
                .build())
        .withHttpClientFactory(new JdkHttpClientFactory())
        .withHttpClientBuilderConsumer(
            builder -> builder.addOrReplaceInterceptor("orderly-test", interceptor))
        .build();
  }

  /** Fills in the status of a SelfSubjectRulesReview, as an API server's authorizer would. */
  private record RulesReviewAnswer(List<ResourceRule> rules) implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if (!"POST".equals(request.method()) || !request.uri().getPath().equals(RULES_REVIEWS)) {
        return;
      }
      SelfSubjectRulesReview review =
          Serialization.unmarshal(request.bodyString(), SelfSubjectRulesReview.class);
      review.setMetadata(new ObjectMetaBuilder().withName(UUID.randomUUID().toString()).build());
      review.setStatus(
          new SubjectRulesReviewStatusBuilder()
              .withResourceRules(rules)
              .withIncomplete(false)
              .build());
      ((HttpRequest.Builder) builder).post("application/json", Serialization.asJson(review));
    }
  }
}
