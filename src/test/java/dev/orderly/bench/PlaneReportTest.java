package dev.orderly.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.e2e.PlaneBenchmark.Request;
import dev.orderly.testsupport.ApiRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Audit-log requests sorted by the in-memory benchmark's classification. */
class PlaneReportTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void auditEntriesAreClassifiedLikeTheTestServersJournal() {
    List<Request> audit =
        List.of(
            request(
                "create",
                "serviceaccounts",
                "bench-hook",
                "/api/v1/namespaces/ns/serviceaccounts",
                "fabric8-kubernetes-client/7.5.2"),
            request(
                "get",
                "serviceaccounts",
                "bench-hook",
                "/api/v1/namespaces/ns/serviceaccounts/bench-hook",
                "fabric8"),
            request(
                "delete",
                "configmaps",
                "config",
                "/api/v1/namespaces/ns/configmaps/config",
                "fabric8"),
            request(
                "delete",
                "configmaps",
                "config",
                "/api/v1/namespaces/ns/configmaps/config",
                "Go-http-client/2.0"),
            request(
                "update",
                "secrets",
                "bench.orderly-teardown",
                "/api/v1/namespaces/ns/secrets/bench.orderly-teardown",
                "fabric8"));

    List<ApiRequest> requests = audit.stream().map(PlaneReport::asApiRequest).toList();

    assertThat(requests)
        .extracting(ApiRequest::method)
        .containsExactly("POST", "GET", "DELETE", "DELETE", "PUT");
    assertThat(RequestAudit.categorize(requests))
        .containsExactly(
            RequestAudit.Category.HOOK_CREATE,
            RequestAudit.Category.OBJECT_GET,
            RequestAudit.Category.OBJECT_DELETE,
            RequestAudit.Category.DELETE_AGAIN,
            RequestAudit.Category.LEDGER);
    assertThat(RequestAudit.sender(requests.get(3))).isEqualTo(RequestAudit.Sender.Helm);
    assertThat(RequestAudit.sender(requests.get(2))).isEqualTo(RequestAudit.Sender.Orderly);
  }

  private static Request request(
      String verb, String resource, String name, String uri, String userAgent) {
    return new Request(T0, "u", userAgent, verb, "", resource, "", "ns", name, 200, uri);
  }
}
