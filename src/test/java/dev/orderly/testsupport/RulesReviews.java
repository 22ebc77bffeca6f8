package dev.orderly.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Answers a SelfSubjectRulesReview as an API server whose authorizer allows everything: every verb
 * on every resource. Like Kubernetes it stores nothing and answers 201 with the review and its
 * status. A review that already carries a status (a test client answering for a narrower identity)
 * is echoed as sent.
 */
final class RulesReviews {

  static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private RulesReviews() {}

  static MockResponse answer(RecordedRequest request) {
    JsonNode review = Requests.json(Requests.text(request.getBody()));
    if (!review.isObject()) {
      return ApiStatus.failure(400, "BadRequest", "the body is not a SelfSubjectRulesReview");
    }
    ObjectNode answer = ((ObjectNode) review).deepCopy();
    if (!answer.hasNonNull("status")) {
      answer.set("status", allowEverything());
    }
    return new MockResponse().setResponseCode(201).setBody(answer.toString());
  }

  private static ObjectNode allowEverything() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode rule = json.objectNode();
    rule.set("verbs", json.arrayNode().add("*"));
    rule.set("apiGroups", json.arrayNode().add("*"));
    rule.set("resources", json.arrayNode().add("*"));
    ArrayNode rules = json.arrayNode().add(rule);
    ObjectNode status = json.objectNode();
    status.set("resourceRules", rules);
    status.set("nonResourceRules", json.arrayNode());
    status.put("incomplete", false);
    return status;
  }
}
