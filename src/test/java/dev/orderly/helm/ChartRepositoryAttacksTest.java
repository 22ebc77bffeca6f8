package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orderly.api.ChartSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP chart repository run by an attacker: each trick (a redirect or an index URL to a host the
 * operator may not fetch, an archive that does not match the index's digest, an index or an archive
 * without end, a redirect loop, hostile error text, an OCI tag list whose next page is elsewhere or
 * that never ends) is refused with a message that says so, nothing is cached, and the other host is
 * never contacted.
 */
class ChartRepositoryAttacksTest {
  private static final byte[] ARCHIVE = "a chart archive".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_ARCHIVE = "another archive".getBytes(StandardCharsets.UTF_8);

  @TempDir Path cache;
  private HttpServer repository;
  private HttpServer otherHost;
  private final AtomicInteger otherHostRequests = new AtomicInteger();
  // path -> answer; a missing path is a 404
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  // Authorization headers the other host received ("null" for none)
  private final List<String> otherHostAuthorizations = new CopyOnWriteArrayList<>();
  // Every request the repository received, path and query
  private final List<String> repositoryRequests = new CopyOnWriteArrayList<>();
  // When set, the repository's tag list pages: the request's query -> answer
  private volatile Function<String, Answer> tagPages;
  // When set, the repository asks for Basic auth and accepts only this Authorization
  private volatile String requiredAuthorization;

  private record Answer(int status, byte[] body, Map<String, String> headers, boolean chunked) {
    static Answer ok(byte[] body) {
      return new Answer(200, body, Map.of(), false);
    }

    static Answer ok(String body) {
      return ok(body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer redirect(String location) {
      return new Answer(302, new byte[0], Map.of("Location", location), false);
    }
  }

  @BeforeEach
  void start() throws IOException {
    otherHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otherHost.createContext(
        "/",
        exchange -> {
          otherHostRequests.incrementAndGet();
          otherHostAuthorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          answer(exchange, Answer.ok(ARCHIVE));
        });
    otherHost.start();
    repository = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    repository.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String query = exchange.getRequestURI().getRawQuery();
          repositoryRequests.add(path + (query == null ? "" : "?" + query));
          String authorization = requiredAuthorization;
          if (authorization != null
              && !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(
                exchange,
                new Answer(
                    401, new byte[0], Map.of("WWW-Authenticate", "Basic realm=\"r\""), false));
            return;
          }
          Function<String, Answer> pages = tagPages;
          Answer answer =
              pages != null && path.endsWith("/tags/list")
                  ? pages.apply(String.valueOf(query))
                  : answers.get(path);
          answer(exchange, answer == null ? new Answer(404, new byte[0], Map.of(), false) : answer);
        });
    repository.start();
  }

  @AfterEach
  void stop() {
    repository.stop(0);
    otherHost.stop(0);
  }

  private String repositoryUrl() {
    return "http://127.0.0.1:" + repository.getAddress().getPort();
  }

  private String otherHostUrl() {
    return "http://127.0.0.1:" + otherHost.getAddress().getPort();
  }

  /** Allows this repository only (and small limits, so the tests serve little). */
  private ChartResolver resolver() {
    return new ChartResolver(
        cache,
        OciRegistryClient.Hints.OPERATOR,
        new ChartSourcePolicy(List.of(cache), List.of(repositoryUrl() + "/"), 4096, 1024));
  }

  private static String index(String name, String url, String digest) {
    return "apiVersion: v1\nentries:\n  "
        + name
        + ":\n    - version: 1.0.0\n"
        + (digest == null ? "" : "      digest: " + digest + "\n")
        + "      urls: ["
        + url
        + "]\n";
  }

  private HelmFailure refusal(String name) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                resolver()
                    .resolve(
                        ChartSource.fromRepository(repositoryUrl(), name, "1.0.0"),
                        Optional.empty()));
    assertThat(thrown).isInstanceOf(HelmFailure.class);
    return (HelmFailure) thrown;
  }

  @Test
  void aRedirectToAHostThatIsNotAllowedIsRefusedWithoutContactingIt() {
    answers.put("/index.yaml", Answer.ok(index("web", "web-1.0.0.tgz", null)));
    answers.put("/web-1.0.0.tgz", Answer.redirect(otherHostUrl() + "/web.tgz"));

    HelmFailure failure = refusal("web");

    assertThat(failure.reason()).isEqualTo("RepositoryNotAllowed");
    assertThat(failure.getMessage())
        .startsWith(
            "chart repository "
                + repositoryUrl()
                + " redirected "
                + repositoryUrl()
                + "/web-1.0.0.tgz to "
                + otherHostUrl()
                + "/web.tgz, which is not under the operator's allowed repositories")
        .contains("--allowed-repositories");
    assertThat(otherHostRequests).hasValue(0);
    assertThat(cachedArchives()).isEmpty();
  }

  @Test
  void anIndexNamingAChartOnAHostThatIsNotAllowedIsRefused() {
    answers.put("/index.yaml", Answer.ok(index("web", otherHostUrl() + "/web.tgz", null)));

    HelmFailure failure = refusal("web");

    assertThat(failure.reason()).isEqualTo("RepositoryNotAllowed");
    assertThat(failure.getMessage()).contains("names the URL " + otherHostUrl() + "/web.tgz");
    assertThat(otherHostRequests).hasValue(0);
  }

  @Test
  void aRedirectLoopEndsAfterFiveHops() {
    answers.put("/index.yaml", Answer.redirect(repositoryUrl() + "/index.yaml"));

    HelmFailure failure = refusal("web");

    assertThat(failure.reason()).isEqualTo("RepositoryUnavailable");
    assertThat(failure.getMessage()).contains("redirected more than 5 times");
  }

  @Test
  void anArchiveWhoseDigestDiffersFromTheIndexIsRefusedAndNotCached() {
    answers.put("/index.yaml", Answer.ok(index("web", "web-1.0.0.tgz", sha256(OTHER_ARCHIVE))));
    answers.put("/web-1.0.0.tgz", Answer.ok(ARCHIVE));

    HelmFailure failure = refusal("web");

    assertThat(failure.reason()).isEqualTo("ChartDigestMismatch");
    assertThat(failure.getMessage())
        .isEqualTo(
            "the archive of chart web 1.0.0 from "
                + repositoryUrl()
                + "/web-1.0.0.tgz has sha256 "
                + sha256(ARCHIVE)
                + ", but the index.yaml of repository "
                + repositoryUrl()
                + " lists "
                + sha256(OTHER_ARCHIVE)
                + ": the archive or the index was changed; it was not used");
    assertThat(cachedArchives()).isEmpty();

    // Once the index and the archive agree (Helm may write the digest with a prefix), it is used.
    answers.put(
        "/index.yaml", Answer.ok(index("web", "web-1.0.0.tgz", "sha256:" + sha256(ARCHIVE))));
    Path chart = resolve("web");
    assertThat(chart).hasBinaryContent(ARCHIVE);
    assertThat(cachedArchives()).hasSize(1);
  }

  @Test
  void aMalformedIndexDigestIsRefused() {
    answers.put("/index.yaml", Answer.ok(index("web", "web-1.0.0.tgz", "md5:abc")));
    answers.put("/web-1.0.0.tgz", Answer.ok(ARCHIVE));

    assertThat(refusal("web").getMessage()).contains("lists digest 'md5:abc', which is not");
  }

  @Test
  void anOversizedIndexIsNotRead() {
    answers.put("/index.yaml", Answer.ok(index("web", "web-1.0.0.tgz", null) + "#".repeat(8192)));

    HelmFailure failure = refusal("web");

    assertThat(failure.getMessage())
        .isEqualTo(
            "the index.yaml of chart repository "
                + repositoryUrl()
                + " is larger than the operator's limit of 4096 bytes; it was not read");
  }

  @Test
  void anIndexLargerThanSnakeYamlsDefaultLimitIsReadUpToTheOperatorsBound() {
    // Real indexes (Bitnami's) run past 3 MiB, SnakeYAML's default code point limit.
    StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n");
    for (int i = 0; index.length() < 5 * 1024 * 1024; i++) {
      index
          .append("  chart-")
          .append(i)
          .append(":\n    - version: 1.0.")
          .append(i)
          .append("\n      description: a chart that is not the one asked for\n")
          .append("      digest: ")
          .append("0".repeat(64))
          .append("\n      urls: [chart-")
          .append(i)
          .append(".tgz]\n");
    }
    index.append("  web:\n    - version: 1.0.0\n      digest: ").append(sha256(ARCHIVE));
    index.append("\n      urls: [web-1.0.0.tgz]\n");
    byte[] body = index.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(body.length).isGreaterThan(5 * 1024 * 1024);
    answers.put("/index.yaml", Answer.ok(body));
    answers.put("/web-1.0.0.tgz", Answer.ok(ARCHIVE));
    ChartResolver resolver =
        new ChartResolver(
            cache,
            OciRegistryClient.Hints.OPERATOR,
            new ChartSourcePolicy(
                List.of(cache),
                List.of(repositoryUrl() + "/"),
                ChartSourcePolicy.DEFAULT_MAX_INDEX_BYTES,
                1024));

    Path chart =
        resolver
            .resolve(ChartSource.fromRepository(repositoryUrl(), "web", "1.0.0"), Optional.empty())
            .path();

    assertThat(chart).hasBinaryContent(ARCHIVE);
  }

  @Test
  void anOversizedArchiveIsRefusedWhetherItsLengthIsDeclaredOrNot() {
    answers.put("/index.yaml", Answer.ok(index("web", "web-1.0.0.tgz", null)));
    for (boolean chunked : List.of(false, true)) {
      answers.put("/web-1.0.0.tgz", new Answer(200, new byte[4096], Map.of(), chunked));

      HelmFailure failure = refusal("web");

      assertThat(failure.getMessage())
          .as(chunked ? "chunked" : "with Content-Length")
          .isEqualTo(
              "the chart archive at "
                  + repositoryUrl()
                  + "/web-1.0.0.tgz of repository "
                  + repositoryUrl()
                  + " is larger than the operator's limit of 1024 bytes; it was not used");
      assertThat(cachedArchives()).isEmpty();
    }
  }

  @Test
  void hostileTextFromTheRepositoryReachesTheMessageOnlyAsAShortCleanExcerpt() {
    String hostile = "\u001b[2J\u001b[31mPWNED\u0007 " + "x".repeat(3000);
    answers.put("/index.yaml", Answer.ok("entries: [\"" + hostile + "\n  : : :"));

    String message = refusal("web").getMessage();

    assertThat(message).startsWith("chart repository " + repositoryUrl() + " is unavailable");
    assertThat(message.chars().noneMatch(Character::isISOControl)).isTrue();
    assertThat(message).doesNotContain("[31m").hasSizeLessThan(400);
  }

  @Test
  void anErrorAnswersBodyIsNotPasted() {
    answers.put("/index.yaml", Answer.ok(index("web", "web-1.0.0.tgz", null)));
    answers.put(
        "/web-1.0.0.tgz",
        new Answer(
            500,
            "<html>\u001b[31minternal secrets</html>".getBytes(StandardCharsets.UTF_8),
            Map.of(),
            false));

    assertThat(refusal("web").getMessage())
        .isEqualTo(
            "chart repository "
                + repositoryUrl()
                + " is unavailable: "
                + repositoryUrl()
                + "/web-1.0.0.tgz answered HTTP 500");
  }

  @Test
  void chartsWhoseCoordinatesShareAStringHashCodeAreCachedApart() {
    // "Aa" and "BB" have the same String.hashCode; the cache key is a sha256 of the coordinates.
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    answers.put(
        "/index.yaml",
        Answer.ok(
            index("Aa", "aa.tgz", null)
                + index("BB", "bb.tgz", null).replace("apiVersion: v1\nentries:\n", "")));
    answers.put("/aa.tgz", Answer.ok(ARCHIVE));
    answers.put("/bb.tgz", Answer.ok(OTHER_ARCHIVE));

    assertThat(resolve("Aa")).hasBinaryContent(ARCHIVE);
    assertThat(resolve("BB")).hasBinaryContent(OTHER_ARCHIVE);
    assertThat(cachedArchives())
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.getFileName().toString()).matches("[0-9a-f]{64}\\.tgz"));
  }

  @Test
  void anOciRegistrysRedirectToAHostThatIsNotAllowedIsRefusedWithoutContactingIt() {
    answers.put("/v2/charts/web/manifests/1.0.0", Answer.redirect(otherHostUrl() + "/blob"));

    HelmFailure failure = ociRefusal();

    assertThat(failure.reason()).isEqualTo("RepositoryNotAllowed");
    assertThat(failure.getMessage())
        .startsWith(
            "chart repository oci://127.0.0.1:"
                + repository.getAddress().getPort()
                + "/charts/web redirected "
                + repositoryUrl()
                + "/v2/charts/web/manifests/1.0.0 to "
                + otherHostUrl()
                + "/blob, which is not under the operator's allowed repositories");
    assertThat(otherHostRequests).hasValue(0);
  }

  @Test
  void anOciRegistrysTokenServiceOnAHostThatIsNotAllowedIsNotAsked() {
    answers.put(
        "/v2/charts/web/manifests/1.0.0",
        new Answer(
            401,
            new byte[0],
            Map.of("WWW-Authenticate", "Bearer realm=\"" + otherHostUrl() + "/token\""),
            false));

    HelmFailure failure = ociRefusal();

    assertThat(failure.reason()).isEqualTo("RepositoryNotAllowed");
    assertThat(failure.getMessage()).contains("names the token service " + otherHostUrl());
    assertThat(otherHostRequests).hasValue(0);
  }

  private HelmFailure ociRefusal() {
    return ociRefusal(resolver(), "1.0.0", Optional.empty());
  }

  private HelmFailure ociRefusal(
      ChartResolver resolver, String version, Optional<RegistryCredentials> credentials) {
    ChartSource source =
        ChartSource.fromRepository(
            "oci://127.0.0.1:" + repository.getAddress().getPort() + "/charts", "web", version);
    source.setInsecure(true);
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> resolver.resolve(source, credentials));
    assertThat(thrown).isInstanceOf(HelmFailure.class);
    return (HelmFailure) thrown;
  }

  /** A tag list page of {@code tags} whose Link header names {@code next}, if not null. */
  private static Answer tagPage(String next, String... tags) {
    String body =
        "{\"name\":\"charts/web\",\"tags\":["
            + String.join(",", Stream.of(tags).map(t -> "\"" + t + "\"").toList())
            + "]}";
    return new Answer(
        200,
        body.getBytes(StandardCharsets.UTF_8),
        next == null ? Map.of() : Map.of("Link", "<" + next + ">; rel=\"next\""),
        false);
  }

  private long tagListRequests() {
    return repositoryRequests.stream().filter(r -> r.contains("/tags/list")).count();
  }

  @Test
  void anOciRegistrysTagListIsReadAcrossItsPages() {
    tagPages =
        query ->
            query.contains("last=1.0.0")
                ? tagPage(null, "2.1.0")
                : tagPage("/v2/charts/web/tags/list?n=1&last=1.0.0", "1.0.0");

    HelmFailure failure = ociRefusal(resolver(), "^2.0.0", Optional.empty());

    // The second page's tag was chosen: the manifest of 2.1.0 is what the registry lacks.
    assertThat(failure.getMessage()).endsWith("has no tag 2.1.0 (chart version 2.1.0)");
    assertThat(repositoryRequests)
        .containsExactly(
            "/v2/charts/web/tags/list",
            "/v2/charts/web/tags/list?n=1&last=1.0.0",
            "/v2/charts/web/manifests/2.1.0");
  }

  @Test
  void anOciRegistrysNextTagPageOnAHostThatIsNotAllowedIsRefusedWithoutContactingIt() {
    String next = otherHostUrl() + "/v2/charts/web/tags/list?last=1.0.0";
    tagPages = query -> tagPage(next, "1.0.0");

    HelmFailure failure = ociRefusal(resolver(), "^1.0.0", Optional.empty());

    assertThat(failure.reason()).isEqualTo("RepositoryNotAllowed");
    assertThat(failure.getMessage())
        .startsWith(
            "chart repository oci://127.0.0.1:"
                + repository.getAddress().getPort()
                + "/charts/web linked its tag list page "
                + repositoryUrl()
                + "/v2/charts/web/tags/list to the next page "
                + next
                + ", which is not under the operator's allowed repositories");
    assertThat(otherHostRequests).hasValue(0);
  }

  @Test
  void anOciRegistrysCredentialsDoNotFollowANextTagPageToAnAllowedOtherHost() {
    RegistryCredentials credentials =
        new RegistryCredentials("team-a", "s3cret", "Secret team-a/registry");
    requiredAuthorization = credentials.basicAuthorization();
    tagPages = query -> tagPage(otherHostUrl() + "/v2/charts/web/tags/list?last=1.0.0", "1.0.0");
    ChartResolver resolver =
        new ChartResolver(
            cache,
            OciRegistryClient.Hints.OPERATOR,
            new ChartSourcePolicy(
                List.of(cache), List.of(repositoryUrl() + "/", otherHostUrl() + "/"), 4096, 1024));

    HelmFailure failure = ociRefusal(resolver, "^1.0.0", Optional.of(credentials));

    // The other host answers a chart archive, not a tag list; what matters is what it was sent.
    assertThat(failure.getMessage()).contains("is not valid JSON");
    assertThat(repositoryRequests)
        .containsExactly("/v2/charts/web/tags/list", "/v2/charts/web/tags/list");
    assertThat(otherHostAuthorizations).as("what the other host was sent").containsExactly("null");
  }

  @Test
  void anOciRegistrysEndlessTagListIsCutAfterAHundredPages() {
    AtomicInteger page = new AtomicInteger();
    tagPages =
        query -> {
          int n = page.incrementAndGet();
          return tagPage("/v2/charts/web/tags/list?last=" + n, "1.0." + n);
        };

    HelmFailure failure = ociRefusal(resolver(), "^1.0.0", Optional.empty());

    assertThat(failure.reason()).isEqualTo("RepositoryUnavailable");
    assertThat(failure.stalled()).isTrue();
    assertThat(failure.getMessage())
        .isEqualTo(
            "the tag list of oci://127.0.0.1:"
                + repository.getAddress().getPort()
                + "/charts/web runs to more than 100 pages; it was not used: name an exact"
                + " version (such as 1.2.3) in chart.version, which is pulled without reading the"
                + " tag list");
    assertThat(tagListRequests()).isEqualTo(100);
  }

  @Test
  void anOciRegistrysTagListPastTheIndexBoundIsNotUsed() {
    String padding = "1.0.0-" + "x".repeat(1000);
    AtomicInteger page = new AtomicInteger();
    tagPages = query -> tagPage("/v2/charts/web/tags/list?last=" + page.incrementAndGet(), padding);

    HelmFailure failure = ociRefusal(resolver(), "^1.0.0", Optional.empty());

    assertThat(failure.getMessage())
        .contains(
            "/charts/web is larger than the operator's limit of 4096 bytes (the limit on an"
                + " index.yaml); it was not used");
    // Pages of about 1 KiB: the fourth passes 4096 bytes and no fifth is asked for.
    assertThat(tagListRequests()).isEqualTo(4);
  }

  @Test
  void anOciRegistrysTagListThatLinksBackToAPageReadIsRefused() {
    tagPages = query -> tagPage("/v2/charts/web/tags/list", "1.0.0");

    HelmFailure failure = ociRefusal(resolver(), "^1.0.0", Optional.empty());

    assertThat(failure.getMessage())
        .contains(
            "/charts/web links back to page "
                + repositoryUrl()
                + "/v2/charts/web/tags/list, already read");
    assertThat(tagListRequests()).isEqualTo(1);
  }

  @Test
  void namesAndVersionsWithPathTricksAreRefusedBeforeAnyRequest() {
    assertThatThrownBy(
            () ->
                resolver()
                    .resolve(
                        ChartSource.fromRepository(repositoryUrl(), "../../web", "1.0.0"),
                        Optional.empty()))
        .isInstanceOfSatisfying(
            HelmFailure.class, f -> assertThat(f.reason()).isEqualTo("InvalidSpec"))
        .hasMessageContaining("contains a path separator");
  }

  private Path resolve(String name) {
    return resolver()
        .resolve(ChartSource.fromRepository(repositoryUrl(), name, "1.0.0"), Optional.empty())
        .path();
  }

  private List<Path> cachedArchives() {
    Path http = cache.resolve("http");
    if (!Files.isDirectory(http)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(http)) {
      return files.toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void answer(HttpExchange exchange, Answer answer) throws IOException {
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] body = answer.body();
    exchange.sendResponseHeaders(
        answer.status(), answer.chunked() ? 0 : body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      } catch (IOException e) {
        // The client may hang up once it has read enough.
      }
    }
    exchange.close();
  }
}
