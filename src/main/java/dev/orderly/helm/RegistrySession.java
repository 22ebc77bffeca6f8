package dev.orderly.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.api.ConditionTypes.Reasons;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * One pull's conversation with an OCI registry over the distribution API: lists tags, reads a
 * manifest, downloads a blob, answering the registry's auth challenge (Basic, or the Bearer token
 * flow) once and remembering the authorization that worked. Every failure is a {@link HelmFailure}
 * whose reason and message say what the user can do.
 */
final class RegistrySession {
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;
  // Pages of a tag list followed; registries page by 100 tags or more, when they page at all.
  private static final int MAX_TAG_PAGES = 100;
  // What is read of an error answer, for its message.
  private static final int MAX_ERROR_BYTES = 64 * 1024;
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final OciReference reference;
  private final Optional<RegistryCredentials> credentials;
  private final OciRegistryClient.Hints hints;
  private final ChartSourcePolicy policy;
  private String authorization;
  private boolean triedCredentials;

  RegistrySession(
      HttpClient http,
      OciReference reference,
      Optional<RegistryCredentials> credentials,
      OciRegistryClient.Hints hints,
      ChartSourcePolicy policy) {
    this.http = http;
    this.reference = reference;
    this.credentials = credentials;
    this.hints = hints;
    this.policy = policy;
  }

  String matchingTag(String version) {
    List<String> tags = tags();
    Optional<String> tag;
    try {
      tag = ChartVersions.select(tags, version);
    } catch (IllegalArgumentException e) {
      if (!OciReference.validTag(version)) {
        throw new HelmFailure(
            Reasons.CHART_VERSION_NOT_FOUND, "chart version " + e.getMessage(), true);
      }
      tag = Optional.empty(); // a plain tag such as "latest" that the registry does not have
    }
    return tag.orElseThrow(
        () ->
            new HelmFailure(
                Reasons.CHART_VERSION_NOT_FOUND,
                reference
                    + " has no tag matching '"
                    + version
                    + "'"
                    + (tags.isEmpty() ? " (it has no tags)" : "; its tags: " + shortList(tags)),
                true));
  }

  /**
   * Every page of the tag list. Each next page (a {@code Link: <...>; rel="next"} header) is
   * checked as a redirect is: off the registry it must be allowed by the policy, and it gets no
   * credentials. The pages together are read up to the policy's index bound and to {@link
   * #MAX_TAG_PAGES}; past either, or when a page links back to one already read, the list is
   * refused rather than used in part, as a part could select another version than the whole.
   */
  private List<String> tags() {
    List<String> tags = new ArrayList<>();
    Set<URI> read = new HashSet<>();
    long bytes = 0;
    URI next = URI.create(reference.base() + "/v2/" + reference.repository() + "/tags/list");
    for (int page = 1; next != null; page++) {
      if (page > MAX_TAG_PAGES) {
        throw tagListRefused("runs to more than " + MAX_TAG_PAGES + " pages");
      }
      if (!read.add(next)) {
        throw tagListRefused(
            "links back to page " + RemoteText.excerpt(next.toString()) + ", already read");
      }
      HttpResponse<byte[]> response = send(next, "application/json");
      if (response.statusCode() == 404) {
        throw notFound();
      }
      expectOk(response, next);
      bytes += response.body().length;
      if (bytes > policy.maxIndexBytes()) {
        throw tagListRefused(
            "is larger than the operator's limit of "
                + policy.maxIndexBytes()
                + " bytes (the limit on an index.yaml)");
      }
      try {
        for (JsonNode tag : JSON.readTree(response.body()).path("tags")) {
          tags.add(tag.asText());
        }
      } catch (IOException e) {
        throw unavailable("its tag list for " + reference.repository() + " is not valid JSON");
      }
      URI current = next;
      Optional<String> link =
          response
              .headers()
              .firstValue("Link")
              .map(NEXT_LINK::matcher)
              .filter(Matcher::find)
              .map(m -> m.group(1));
      if (link.isEmpty()) {
        break;
      }
      try {
        next = current.resolve(link.get());
      } catch (IllegalArgumentException e) {
        throw unavailable(
            RemoteText.excerpt(
                "its tag list page " + current + " links to an invalid URL " + link.get()));
      }
      checkOffRegistry(
          next,
          "linked its tag list page "
              + RemoteText.excerpt(current.toString())
              + " to the next page");
    }
    return tags;
  }

  private HelmFailure tagListRefused(String why) {
    return new HelmFailure(
        Reasons.REPOSITORY_UNAVAILABLE,
        "the tag list of "
            + reference
            + " "
            + why
            + "; it was not used: name an exact version (such as 1.2.3) in chart.version, which"
            + " is pulled without reading the tag list",
        true);
  }

  OciRegistryClient.Manifest manifest(String tag) {
    URI uri = reference.endpoint("manifests", ChartVersions.tagOf(tag));
    HttpResponse<byte[]> response = send(uri, OciRegistryClient.MANIFEST_TYPE);
    if (response.statusCode() == 404) {
      if (new String(response.body(), StandardCharsets.UTF_8).contains("NAME_UNKNOWN")) {
        throw notFound();
      }
      throw new HelmFailure(
          Reasons.CHART_VERSION_NOT_FOUND,
          reference + " has no tag " + ChartVersions.tagOf(tag) + " (chart version " + tag + ")",
          true);
    }
    expectOk(response, uri);
    byte[] body = response.body();
    if (body.length > MAX_MANIFEST_BYTES) {
      throw new HelmFailure(
          Reasons.NOT_A_HELM_CHART,
          reference + ":" + tag + " has a manifest of " + body.length + " bytes; not a chart",
          true);
    }
    String digest = "sha256:" + OciRegistryClient.sha256(body);
    Optional<String> announced = response.headers().firstValue("Docker-Content-Digest");
    if (announced.isPresent() && !announced.get().equals(digest)) {
      throw new HelmFailure(
          Reasons.CHART_DIGEST_MISMATCH,
          "registry "
              + reference.registry()
              + " announced digest "
              + announced.get()
              + " for "
              + reference
              + ":"
              + tag
              + " but sent a manifest whose digest is "
              + digest,
          true);
    }
    try {
      return new OciRegistryClient.Manifest(digest, JSON.readTree(body));
    } catch (IOException e) {
      throw new HelmFailure(
          Reasons.NOT_A_HELM_CHART,
          reference + ":" + tag + " is not a Helm chart: its manifest is not JSON",
          true);
    }
  }

  void download(OciRegistryClient.Layer layer, Path target, String where) {
    URI uri = reference.endpoint("blobs", layer.digest());
    // The operator's bound on chart archives (--max-chart-archive-mib), as for HTTP repositories.
    long limit = policy.maxArchiveBytes();
    if (layer.size() > limit) {
      throw layerTooLarge(where, limit);
    }
    try {
      Files.createDirectories(target.getParent());
      Path partial = Files.createTempFile(target.getParent(), "pull", ".part");
      try {
        HttpResponse<InputStream> response = sendStreaming(uri);
        MessageDigest sha = OciRegistryClient.sha256();
        try (InputStream in = response.body();
            OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha)) {
          if (response.statusCode() != 200) {
            in.readNBytes(MAX_ERROR_BYTES);
            expectOk(response, uri);
          }
          long declared = layer.size() > 0 ? layer.size() : limit;
          try {
            BoundedBody.copy(in, out, Math.min(declared, limit));
          } catch (BoundedBody.TooLarge e) {
            throw layerTooLarge(where, Math.min(declared, limit));
          }
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(layer.digest())) {
          throw new HelmFailure(
              Reasons.CHART_DIGEST_MISMATCH,
              "the chart layer of "
                  + where
                  + " should have digest "
                  + layer.digest()
                  + " but what registry "
                  + reference.registry()
                  + " sent has "
                  + actual,
              true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw unavailable("downloading " + uri + " failed: " + describe(e));
    }
  }

  private HttpResponse<byte[]> send(URI uri, String accept) {
    return exchange(uri, accept, BoundedBody.atMost(MAX_MANIFEST_BYTES + 1L));
  }

  private HttpResponse<InputStream> sendStreaming(URI uri) {
    return exchange(uri, "*/*", HttpResponse.BodyHandlers.ofInputStream());
  }

  /** GET with authorization, answering one challenge and following redirects by hand. */
  private <T> HttpResponse<T> exchange(
      URI uri, String accept, HttpResponse.BodyHandler<T> handler) {
    URI target = uri;
    boolean answeredChallenge = false;
    for (int hop = 0; hop <= MAX_REDIRECTS; ) {
      // Credentials go to the registry alone, and never from HTTPS down to plain HTTP.
      boolean sameRegistry = onRegistry(target);
      HttpResponse<T> response = get(target, accept, sameRegistry ? authorization : null, handler);
      int status = response.statusCode();
      if (status == 401 && sameRegistry && !answeredChallenge) {
        discard(response);
        answer(response.headers().firstValue("WWW-Authenticate").orElse(null));
        answeredChallenge = true;
        continue;
      }
      if (status == 401 || status == 403) {
        discard(response);
        throw unauthorized(status);
      }
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        discard(response);
        String location =
            response
                .headers()
                .firstValue("Location")
                .orElseThrow(() -> unavailable(uri + " answered a redirect without a Location"));
        try {
          target = target.resolve(location);
        } catch (IllegalArgumentException e) {
          throw unavailable(RemoteText.excerpt(uri + " redirected to an invalid URL " + location));
        }
        checkOffRegistry(target, "redirected " + RemoteText.excerpt(uri.toString()) + " to");
        hop++;
        continue;
      }
      return response;
    }
    throw unavailable(uri + " redirected more than " + MAX_REDIRECTS + " times");
  }

  /**
   * The registry's own URLs are allowed with chart.repository; a URL elsewhere (blob storage, a
   * token service) must be allowed by the operator's repository prefixes in its own right.
   */
  private void checkOffRegistry(URI target, String what) {
    if (!onRegistry(target) && !policy.allows(target.toString())) {
      throw policy.urlRefused(reference.toString(), target.toString(), what);
    }
  }

  /** Whether {@code target} is the registry itself, by the scheme it is reached with. */
  private boolean onRegistry(URI target) {
    return reference.registry().equals(target.getRawAuthority())
        && reference.base().getScheme().equals(target.getScheme());
  }

  private HelmFailure layerTooLarge(String where, long limit) {
    return new HelmFailure(
        Reasons.REPOSITORY_UNAVAILABLE,
        "the chart layer of "
            + where
            + " is larger than "
            + limit
            + " bytes (its size in the manifest, or the operator's limit); it was not used",
        true);
  }

  private void answer(String header) {
    AuthChallenge challenge = AuthChallenge.parse(header).orElseThrow(() -> unauthorized(401));
    if (challenge.isBasic()) {
      if (credentials.isEmpty()) {
        throw unauthorized(401);
      }
      triedCredentials = true;
      authorization = credentials.get().basicAuthorization();
    } else if (challenge.isBearer()) {
      authorization = "Bearer " + token(challenge);
    } else {
      throw unauthorized(401);
    }
  }

  /** The Bearer token flow: the realm gives a token for the scope, with Basic if we have it. */
  private String token(AuthChallenge challenge) {
    String realm =
        challenge
            .parameter("realm")
            .orElseThrow(() -> unavailable("its Bearer challenge names no realm"));
    String scope =
        challenge.parameter("scope").orElse("repository:" + reference.repository() + ":pull");
    StringBuilder query = new StringBuilder("scope=").append(encode(scope));
    challenge.parameter("service").ifPresent(s -> query.append("&service=").append(encode(s)));
    URI uri;
    try {
      uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
    } catch (IllegalArgumentException e) {
      throw unavailable("its Bearer challenge names a realm that is not a URL");
    }
    checkOffRegistry(uri, "names the token service");
    triedCredentials = credentials.isPresent();
    HttpResponse<byte[]> response =
        get(
            uri,
            "application/json",
            // Basic credentials in clear text only where the registry is plain HTTP anyway.
            "https".equals(uri.getScheme()) || reference.plainHttp()
                ? credentials.map(RegistryCredentials::basicAuthorization).orElse(null)
                : null,
            BoundedBody.atMost(MAX_MANIFEST_BYTES));
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw unauthorized(response.statusCode());
    }
    expectOk(response, uri);
    try {
      JsonNode body = JSON.readTree(response.body());
      String token = body.path("token").asText(body.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw unavailable(
            "its token service " + RemoteText.excerpt(realm) + " answered without a token");
      }
      return token;
    } catch (IOException e) {
      throw unavailable(
          "its token service " + RemoteText.excerpt(realm) + " answered something other than JSON");
    }
  }

  private <T> HttpResponse<T> get(
      URI uri, String accept, String auth, HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Accept", accept)
            .header("User-Agent", "orderly")
            .GET();
    if (auth != null) {
      request.header("Authorization", auth);
    }
    try {
      return http.send(request.build(), handler);
    } catch (IOException | IllegalArgumentException e) {
      throw unavailable("GET " + RemoteText.excerpt(uri.toString()) + " failed: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("GET " + uri + " was interrupted");
    }
  }

  private void expectOk(HttpResponse<?> response, URI uri) {
    if (response.statusCode() != 200) {
      throw unavailable(
          RemoteText.excerpt(uri.toString()) + " answered HTTP " + response.statusCode());
    }
  }

  private HelmFailure notFound() {
    return new HelmFailure(
        Reasons.CHART_NOT_FOUND,
        "registry " + reference.registry() + " has no chart " + reference.repository(),
        true);
  }

  private HelmFailure unauthorized(int status) {
    String message =
        triedCredentials
            ? "registry "
                + reference.registry()
                + " refused the "
                + credentials.orElseThrow()
                + " for "
                + reference.repository()
                + " (HTTP "
                + status
                + "): check the username and password, and that they may pull"
            : "registry "
                + reference.registry()
                + " refused to let "
                + reference.repository()
                + " be pulled without credentials (HTTP "
                + status
                + "): give credentials in "
                + hints.credentials();
    return new HelmFailure(Reasons.REPOSITORY_UNAUTHORIZED, message, true);
  }

  private HelmFailure unavailable(String detail) {
    return new HelmFailure(
        Reasons.REPOSITORY_UNAVAILABLE,
        "registry " + reference.registry() + " is unavailable: " + detail,
        false);
  }

  private String describe(Exception e) {
    String why =
        e.getMessage() == null ? e.getClass().getSimpleName() : RemoteText.excerpt(e.toString());
    boolean tls = e instanceof SSLException || (e.getCause() instanceof SSLException);
    return tls && !reference.plainHttp()
        ? why + " (if the registry serves plain HTTP, " + hints.plainHttp() + ")"
        : why;
  }

  private static void discard(HttpResponse<?> response) {
    if (response.body() instanceof InputStream in) {
      try (in) {
        in.readNBytes(MAX_ERROR_BYTES);
      } catch (IOException e) {
        // The connection is dropped instead of reused; nothing else depends on it.
      }
    }
  }

  private static String shortList(List<String> tags) {
    List<String> shown = tags.size() > 10 ? tags.subList(tags.size() - 10, tags.size()) : tags;
    // Tags are the registry's text: each is printable only in excerpt.
    return RemoteText.excerpt((tags.size() > 10 ? "..., " : "") + String.join(", ", shown));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
