package dev.orderly.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric8 CRUD dispatcher, extended so that client-go (helm-java) can use it as well as the
 * fabric8 client. This Javadoc is the one list of where the test API server differs from
 * Kubernetes.
 *
 * <p>What it adds to the stock CRUD dispatcher:
 *
 * <ul>
 *   <li>Every plain HTTP response carries {@code Content-Type: application/json} (client-go decodes
 *       a response without it as protobuf) and {@code Cache-Control: no-store} (so client-go's disk
 *       HTTP cache stores nothing).
 *   <li>Discovery ({@code /}, {@code /version}, {@code /api}, {@code /api/v1}, {@code /apis},
 *       {@code /apis/<group>}, {@code /apis/<group>/<version>}) from {@link BuiltInApiResources}
 *       plus the CustomResourceDefinitions stored at the time of the request. Only the legacy
 *       documents exist: a client asking for aggregated discovery gets {@code application/json} and
 *       falls back, as with an old API server. {@code /version} claims v1.31.0.
 *   <li>Errors are {@code Status} objects with the reason Kubernetes gives: {@code NotFound},
 *       {@code AlreadyExists} (409 on create), {@code Conflict} (409 otherwise), etc. A path
 *       outside {@code /api} and {@code /apis} is 404 (the stock store would list every object for
 *       it).
 *   <li>Lists have their typed kind ({@code ConfigMapList}) and apiVersion instead of {@code v1
 *       List}, which client-go refuses to decode into a typed list.
 *   <li>JSON merge patches follow RFC 7386 (the stock store appends to lists and stores nulls).
 *   <li>A Secret written as Kubernetes protobuf (client-go 0.35 clientsets, i.e. Helm's release
 *       storage) is decoded; any other protobuf body gets 415.
 *   <li>A SelfSubjectRulesReview (JOSDK's check of its Lease permissions) is answered by {@link
 *       RulesReviews}: every verb on every resource, unless the review already carries a status.
 *   <li>Every request is journaled for {@link TestApiServer#requests()}, with its answer's code.
 *   <li>A JSON patch that does not apply (a failed {@code test}, a path that is not there) is 422
 *       {@code Invalid}, as kube-apiserver answers it (the stock store answers 500).
 *   <li>A test can inject errors ({@link ApiFaults}): a matching request gets the fault's status
 *       code instead of being served.
 * </ul>
 *
 * <p>Approximations and limits:
 *
 * <ul>
 *   <li><b>Strategic merge patch</b> is applied without the API schema, so the server cannot know
 *       which lists merge by which key. Maps merge as in a JSON merge patch (RFC 7386); {@code
 *       $patch: delete/replace}, {@code $deleteFromPrimitiveList/...} and {@code $retainKeys} are
 *       honoured; a list is merged by key only when the patch carries {@code
 *       $setElementOrder/<list>} (the key is the field its entries name, e.g. {@code name}), which
 *       client-go's three-way patches, i.e. Helm upgrades, always do for lists they change. <b>Any
 *       other list in the patch replaces the stored list wholesale</b>: a hand-written patch
 *       listing one container drops the others.
 *   <li><b>Server-side apply</b> is a JSON merge patch that creates a missing object: no managed
 *       fields, no ownership conflicts, {@code force} is ignored, and fields the applier stops
 *       sending are kept.
 *   <li><b>Watches</b> are served over WebSocket only (the fabric8 client and its informers).
 *       client-go's HTTP-streaming watch gets 405; its informers then relist with exponential
 *       backoff (0.8 s doubling up to 30 s), so Helm's waits on hook Jobs and Pods end once a fake
 *       controller completes them, only later. Nothing completes them by itself. A watch ignores
 *       its {@code resourceVersion}: it starts with every current object as {@code ADDED}, so an
 *       object deleted between an informer's list and its watch is never reported gone and stays in
 *       that informer's cache (Kubernetes replays the delete). The operator's {@code CacheDoubt}
 *       reads such a lingering object by GET after 15 s.
 *   <li><b>OpenAPI</b>: {@code /openapi/v3} has skeleton documents that only declare the {@code
 *       fieldValidation} parameter, so Helm leaves schema validation to the server, and the server
 *       validates nothing beyond name, kind and apiVersion. {@code /openapi/v2} is 404.
 *   <li>A CRD is {@code NamesAccepted} and {@code Established} as soon as it is created.
 *   <li>Status is a subresource for the built-in kinds that have one and for CRDs that declare one:
 *       create drops {@code status}, update and patch keep it, {@code /status} changes only it.
 *   <li>Ignored: {@code fieldValidation}, {@code fieldManager}, {@code dryRun}, {@code
 *       resourceVersion} on reads, and delete preconditions.
 *   <li><b>Foreground deletion</b> ({@link ForegroundDeletions}): an owner with dependent Pods
 *       keeps a deletionTimestamp and the {@code foregroundDeletion} finalizer until they are gone;
 *       an owner without dependents is removed at once. Only Pods count as dependents; Background
 *       and Orphan deletes remove the owner at once.
 *   <li>No controllers run here: garbage collection, DaemonSet Pods, Job completion and Pod
 *       termination come only from a test's {@code ClusterSimulator}; no namespace cascade. An
 *       object with finalizers gets a deletionTimestamp and stays until they are removed.
 *   <li><b>Namespace lifecycle</b> ({@link NamespaceLifecycle}): a create in a namespace whose
 *       Namespace object is terminating is refused as kube-apiserver refuses it. A create in a
 *       namespace that does not exist succeeds, and a Namespace without finalizers is removed at
 *       once, without the namespace controller's cascade, so it is terminating only while a test
 *       holds it with a finalizer of its own.
 *   <li>Label selectors support {@code =}, {@code ==}, {@code !=}, {@code key} and {@code !key},
 *       not {@code in}/{@code notin}. A resource type missing from discovery is still stored.
 * </ul>
 *
 * <p>Found on the real control plane ({@code src/test/java/dev/orderly/e2e}, which covers each) and
 * not modelled here:
 *
 * <ul>
 *   <li><b>No authorisation</b>: every request is allowed. A real API server refuses a Role or
 *       binding that grants more than its creator holds (the escalation check); the operator
 *       chart's default rules lacked {@code nodes}, which the node-agent example grants.
 *   <li><b>No namespace lifecycle</b>: nothing stops a create in a namespace being deleted, Events
 *       included, and nothing deletes a namespace's contents.
 *   <li><b>No admission webhooks</b>: a {@code failurePolicy: Fail} webhook whose backend is gone
 *       rejects nothing here.
 *   <li><b>Orphan deletes</b> leave the dependents' ownerReferences in place; the real garbage
 *       collector strips them, so "pods owned by the DaemonSet" drops to zero while they run.
 * </ul>
 */
class HelmCompatibleDispatcher extends KubernetesCrudDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(HelmCompatibleDispatcher.class);
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final ApiDiscovery discovery = new ApiDiscovery(this::storedCrds);
  private final PatchRequests patches = new PatchRequests(this);
  private final ForegroundDeletions deletions = new ForegroundDeletions(this);
  private final NamespaceLifecycle namespaces = new NamespaceLifecycle(this);
  private final List<ApiRequest> journal = Collections.synchronizedList(new ArrayList<>());
  private final ApiFaults faults = new ApiFaults();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    ApiRequest received =
        new ApiRequest(
            request.getMethod().toUpperCase(Locale.ROOT),
            request.getPath(),
            header(request, "Content-Type"),
            header(request, "Accept"),
            Requests.text(request.getBody()),
            header(request, "Impersonate-User"));
    int entry;
    synchronized (journal) {
      entry = journal.size();
      journal.add(received);
    }
    Optional<ResourcePath> path = ResourcePath.parse(request.getPath());
    MockResponse response;
    try {
      response =
          faults
              .answerTo(request.getMethod().toUpperCase(Locale.ROOT), request.getPath())
              .orElseGet(() -> route(request, path));
    } catch (RuntimeException e) {
      // Throwing would leave the client waiting for an answer that never comes.
      LOG.warn("failed to serve {}", request, e);
      response = ApiStatus.failure(500, "InternalError", e.toString());
    }
    LOG.debug("{} -> {}", request, response.code());
    // A WebSocket upgrade (fabric8 watch) must reach the mock server untouched.
    MockResponse answer =
        response.getWebSocketListener() != null ? response : finish(request, path, response);
    journal.set(
        entry, received.answered(answer.getWebSocketListener() != null ? 101 : answer.code()));
    return answer;
  }

  @Override
  public boolean isStatusSubresourceEnabledForResource(String path) {
    return ResourcePath.parse(path)
        .filter(p -> p.resource() != null)
        .flatMap(p -> BuiltInApiResources.find(p.group(), p.version(), p.resource()))
        .map(r -> r.subresources().contains(ApiResource.STATUS))
        .orElseGet(() -> super.isStatusSubresourceEnabledForResource(path));
  }

  /** Every request received so far, oldest first. */
  List<ApiRequest> journal() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  ApiFaults faults() {
    return faults;
  }

  MockResponse storedObject(String path) {
    return super.handleGet(path);
  }

  MockResponse jsonPatch(RecordedRequest request) {
    try {
      return super.handlePatch(request);
    } catch (JsonPatchException failed) {
      // kube-apiserver answers a patch that does not apply (a failed test, a missing path) so.
      return ApiStatus.failure(422, "Invalid", failed.getMessage());
    }
  }

  MockResponse plainDelete(RecordedRequest request) {
    return super.dispatch(request);
  }

  MockResponse create(RecordedRequest request) {
    return super.handleCreate(request);
  }

  private MockResponse route(RecordedRequest request, Optional<ResourcePath> path) {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    // DeleteOptions come as protobuf too, but the CRUD store ignores delete bodies anyway.
    if (Requests.mediaType(request).equals(ProtobufSecrets.MEDIA_TYPE)
        && !method.equals("DELETE")) {
      return ProtobufSecrets.toJson(request.getBody().getBytes())
          .map(json -> route(Requests.withBody(request, Requests.JSON, json), path))
          .orElseGet(
              () ->
                  ApiStatus.failure(
                      415, "UnsupportedMediaType", "only Secrets are decoded from protobuf"));
    }
    if (method.equals("GET")) {
      Optional<Object> document = discovery.document(withoutQuery(request.getPath()));
      if (document.isPresent()) {
        return new MockResponse()
            .setResponseCode(200)
            .setBody(Serialization.asJson(document.get()));
      }
      if (isStreamingWatch(request)) {
        return ApiStatus.failure(405, "MethodNotAllowed", "watches are served over WebSocket only");
      }
    }
    if (path.isEmpty() || path.get().isDiscovery()) {
      return ApiStatus.failure(404, "NotFound", "the server could not find the requested resource");
    }
    if (method.equals("PATCH")) {
      return patches.patch(request, path.get());
    }
    if (method.equals("DELETE")) {
      return deletions.delete(request, path.get());
    }
    if (method.equals("POST")) {
      Optional<MockResponse> refused = namespaces.refuseCreate(path.get());
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    if (method.equals("POST") && withoutQuery(request.getPath()).equals(CRDS)) {
      return createCrd(request);
    }
    if (method.equals("POST") && withoutQuery(request.getPath()).equals(RulesReviews.PATH)) {
      return RulesReviews.answer(request);
    }
    return super.dispatch(request);
  }

  private MockResponse finish(
      RecordedRequest request, Optional<ResourcePath> path, MockResponse response) {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    String body = Requests.text(response.getBody());
    if (response.code() >= 400) {
      response.setBody(
          ApiStatus.rewrite(response.code(), method, path, body, "request failed: " + request));
    } else if (!body.isEmpty() && path.filter(ResourcePath::isCollection).isPresent()) {
      response.setBody(typedList(path.get(), body));
    }
    if (method.equals("PATCH") && response.code() == 202) {
      response.setResponseCode(200);
    }
    return response
        .setHeader("Content-Type", "application/json")
        .setHeader("Cache-Control", "no-store");
  }

  /** Rewrites the stock {@code v1 List} into {@code <Kind>List} of the right group version. */
  private String typedList(ResourcePath path, String body) {
    JsonNode list = Requests.json(body);
    if (!list.isObject() || !"List".equals(list.path("kind").asText())) {
      return body;
    }
    return discovery
        .find(path.group(), path.version(), path.resource())
        .map(
            type -> {
              ((ObjectNode) list).put("apiVersion", type.apiVersion());
              ((ObjectNode) list).put("kind", type.kind() + "List");
              return Serialization.asJson(list);
            })
        .orElse(body);
  }

  /** Creates a CRD, then marks it established through /status as the controller would. */
  private MockResponse createCrd(RecordedRequest request) {
    MockResponse created = super.dispatch(request);
    if (created.code() != 201) {
      return created;
    }
    JsonNode crd = EstablishedCrds.establish(Requests.json(Requests.text(created.getBody())));
    String statusPath = CRDS + "/" + crd.path("metadata").path("name").asText() + "/status";
    MockResponse established =
        super.handleUpdate(
            Requests.with(
                request, HttpMethod.PUT, statusPath, Requests.JSON, Serialization.asJson(crd)));
    return established.code() == 200 ? established.setResponseCode(201) : established;
  }

  private List<CustomResourceDefinition> storedCrds() {
    JsonNode list = Requests.json(Requests.text(super.handleGet(CRDS).getBody()));
    return StreamSupport.stream(list.path("items").spliterator(), false)
        .map(item -> Serialization.unmarshal(item.toString(), CustomResourceDefinition.class))
        .toList();
  }

  private static boolean isStreamingWatch(RecordedRequest request) {
    String path = request.getPath();
    boolean watch = path.contains("?watch=true") || path.contains("&watch=true");
    return watch && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
  }

  private static String header(RecordedRequest request, String name) {
    return Optional.ofNullable(request.getHeader(name)).orElse("");
  }

  private static String withoutQuery(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }
}
