package dev.loggardener.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for one repository, through {@code java.net.http} and Jackson: the few
 * endpoints the gardener needs (issues, comments, labels), with GitHub's rules for integrations.
 *
 * <ul>
 *   <li>One request at a time per token, and at least a second between writes.
 *   <li>403 or 429 with {@code Retry-After}, or with {@code x-ratelimit-remaining: 0} and {@code
 *       x-ratelimit-reset}: wait as told, then retry, if the wait is at most {@link
 *       #MAX_WAIT_SECONDS}; otherwise fail, so the caller defers. A secondary limit without either
 *       (a 429, or a 403 whose message names a rate limit): wait a minute, doubling for each one in
 *       a row, as GitHub asks.
 *   <li>Only URLs of the configured API's origin get the token (pagination links included).
 *   <li>5xx and connection errors: retry with exponential backoff and jitter, up to {@link
 *       #ATTEMPTS} attempts, except a POST, which may have been done: it fails as {@link
 *       GitHubException#uncertain()}, and the caller looks before trying again.
 * </ul>
 *
 * <p>The token is sent only in the Authorization header. It never appears in an exception, a log
 * line or a row: {@link GitHubException} carries the method, path, status and GitHub's message.
 */
public final class GitHubClient {
  static final int ATTEMPTS = 4;
  static final long MAX_WAIT_SECONDS = 60;
  static final long MIN_WRITE_GAP_MILLIS = 1_000;

  /** Time, injectable so tests neither wait nor depend on the wall clock. */
  public interface Clock {
    long nowMillis();

    void sleep(long millis) throws InterruptedException;

    Clock SYSTEM =
        new Clock() {
          @Override
          public long nowMillis() {
            return System.currentTimeMillis();
          }

          @Override
          public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
          }
        };
  }

  /** A failed request. Its message never holds the token. */
  public static final class GitHubException extends IOException {
    private final int status;
    private final boolean rateLimited;
    private final boolean uncertain;

    GitHubException(String message, int status) {
      this(message, status, false, false);
    }

    GitHubException(String message, int status, boolean rateLimited) {
      this(message, status, rateLimited, false);
    }

    GitHubException(String message, int status, boolean rateLimited, boolean uncertain) {
      super(message);
      this.status = status;
      this.rateLimited = rateLimited;
      this.uncertain = uncertain;
    }

    /**
     * A POST whose outcome is unknown (a 5xx, a timeout, a lost connection): it may have been done.
     * The client does not repeat it; the caller looks first, then decides.
     */
    public boolean uncertain() {
      return uncertain;
    }

    /** GitHub asked to wait longer than the client waits. */
    public boolean rateLimited() {
      return rateLimited;
    }

    /** The HTTP status, or 0 when there was no response. */
    public int status() {
      return status;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Requests of one token go one at a time, whatever client instance sends them. */
  private static final Map<String, Object> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

  private static final Map<String, long[]> LAST_WRITE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String apiUrl;
  private final String repo;
  private final Supplier<String> token;
  private final Clock clock;
  private final HttpClient http;
  private final String lockKey;

  /**
   * @param apiUrl {@code https://api.github.com}, or {@code https://HOST/api/v3} for GitHub
   *     Enterprise Server
   * @param repo {@code OWNER/NAME}
   */
  public GitHubClient(String apiUrl, String repo, Supplier<String> token, Clock clock) {
    if (repo == null || !repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("--githubRepo must be OWNER/NAME, not '" + repo + "'");
    }
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    this.repo = repo;
    this.token = token;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    this.lockKey = tokenKey(this.apiUrl, token.get());
  }

  /**
   * What identifies one token at one API for this JVM's per-token state (the request lock, the last
   * write, the write budget), without holding the token itself.
   */
  public static String tokenKey(String apiUrl, String token) {
    return apiUrl + "|" + (token == null ? "" : Integer.toHexString(token.hashCode()));
  }

  public String repo() {
    return repo;
  }

  /** An issue as the gardener needs it. */
  public record Issue(
      int number,
      String title,
      String body,
      String state,
      Instant closedAt,
      List<String> labels,
      String url) {
    public boolean open() {
      return "open".equals(state);
    }
  }

  /** A comment's id and body. */
  public record Comment(long id, String body) {}

  /** Every issue with the label, open and closed, following pagination. */
  public List<Issue> issuesWithLabel(String label) throws IOException {
    return issuesWithLabel(label, 0);
  }

  /**
   * The issues with a label, newest first, page by page until a page reaches an issue numbered
   * {@code upTo} or lower (0: every page): GitHub numbers issues in order of creation.
   */
  public List<Issue> issuesWithLabel(String label, int upTo) throws IOException {
    List<Issue> out = new ArrayList<>();
    String path =
        "/repos/"
            + repo
            + "/issues?state=all&sort=created&direction=desc&per_page=100&labels="
            + URLEncoder.encode(label, StandardCharsets.UTF_8);
    while (path != null) {
      Reply r = send("GET", path, null, false);
      boolean reached = false;
      for (JsonNode n : r.body()) {
        if (!n.has("pull_request")) {
          out.add(issue(n));
        }
        reached |= upTo > 0 && n.path("number").asInt() <= upTo;
      }
      path = reached ? null : r.next();
    }
    return out;
  }

  public Issue issue(int number) throws IOException {
    return issue(send("GET", "/repos/" + repo + "/issues/" + number, null, false).body());
  }

  public Issue create(String title, String body, List<String> labels) throws IOException {
    Map<String, Object> req = Map.of("title", title, "body", body, "labels", labels);
    return issue(send("POST", "/repos/" + repo + "/issues", req, true).body());
  }

  /** POST /issues/{n}/assignees: adds the logins; GitHub ignores those it cannot assign. */
  public Issue assign(int number, List<String> logins) throws IOException {
    return issue(
        send(
                "POST",
                "/repos/" + repo + "/issues/" + number + "/assignees",
                Map.of("assignees", logins),
                true)
            .body());
  }

  /** PATCH: state ("open" or "closed") and/or the full label set; null leaves a field alone. */
  public Issue update(int number, String state, List<String> labels) throws IOException {
    Map<String, Object> req = new java.util.LinkedHashMap<>();
    if (state != null) {
      req.put("state", state);
    }
    if (labels != null) {
      req.put("labels", labels);
    }
    return issue(send("PATCH", "/repos/" + repo + "/issues/" + number, req, true).body());
  }

  public List<Comment> comments(int number) throws IOException {
    List<Comment> out = new ArrayList<>();
    String path = "/repos/" + repo + "/issues/" + number + "/comments?per_page=100";
    while (path != null) {
      Reply r = send("GET", path, null, false);
      for (JsonNode n : r.body()) {
        out.add(new Comment(n.path("id").asLong(), n.path("body").asText("")));
      }
      path = r.next();
    }
    return out;
  }

  public Comment comment(int number, String body) throws IOException {
    JsonNode n =
        send(
                "POST",
                "/repos/" + repo + "/issues/" + number + "/comments",
                Map.of("body", body),
                true)
            .body();
    return new Comment(n.path("id").asLong(), n.path("body").asText(""));
  }

  private static Issue issue(JsonNode n) {
    List<String> labels = new ArrayList<>();
    for (JsonNode l : n.path("labels")) {
      labels.add(l.isTextual() ? l.asText() : l.path("name").asText());
    }
    String closed = n.path("closed_at").isTextual() ? n.path("closed_at").asText() : null;
    return new Issue(
        n.path("number").asInt(),
        n.path("title").asText(""),
        n.path("body").isTextual() ? n.path("body").asText() : "",
        n.path("state").asText("open"),
        closed == null ? null : Instant.parse(closed),
        List.copyOf(labels),
        n.path("html_url").asText(""));
  }

  private record Reply(JsonNode body, String next) {}

  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

  private Reply send(String method, String path, Object body, boolean write) throws IOException {
    Object lock = LOCKS.computeIfAbsent(lockKey, k -> new Object());
    synchronized (lock) {
      try {
        return sendLocked(method, path, body, write);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitHubException(method + " " + pathOnly(path) + ": interrupted", 0);
      }
    }
  }

  private Reply sendLocked(String method, String path, Object body, boolean write)
      throws IOException, InterruptedException {
    String url = path.startsWith("http") ? path : apiUrl + path;
    if (!sameOrigin(url)) {
      // A Link header pointing elsewhere would carry the token there.
      throw new GitHubException(method + " " + pathOnly(path) + ": link outside the API", 0);
    }
    byte[] payload = body == null ? null : JSON.writeValueAsBytes(body);
    long backoff = 1_000;
    for (int attempt = 1; ; attempt++) {
      if (write) {
        long[] last = LAST_WRITE.computeIfAbsent(lockKey, k -> new long[] {Long.MIN_VALUE / 2});
        long wait = last[0] + MIN_WRITE_GAP_MILLIS - clock.nowMillis();
        if (wait > 0) {
          clock.sleep(wait);
        }
        last[0] = clock.nowMillis();
      }
      HttpRequest.Builder rb =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("Accept", "application/vnd.github+json")
              .header("X-GitHub-Api-Version", "2022-11-28")
              .header("User-Agent", "log-gardener");
      String t = token.get();
      if (t != null && !t.isEmpty()) {
        rb.header("Authorization", "Bearer " + t);
      }
      rb.method(
          method,
          payload == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(payload));
      if (payload != null) {
        rb.header("Content-Type", "application/json");
      }
      HttpResponse<byte[]> resp;
      try {
        resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (attempt >= ATTEMPTS || method.equals("POST")) {
          throw new GitHubException(
              method + " " + pathOnly(path) + ": " + e.getClass().getSimpleName(),
              0,
              false,
              method.equals("POST"));
        }
        clock.sleep(jitter(backoff));
        backoff *= 2;
        continue;
      }
      int status = resp.statusCode();
      if (status / 100 == 2) {
        SECONDARY.remove(lockKey);
        JsonNode json =
            resp.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(resp.body());
        return new Reply(json, next(resp));
      }
      Optional<Long> wait = rateLimitWait(resp);
      if ((status == 403 || status == 429) && wait.isEmpty() && secondaryLimit(status, resp)) {
        // GitHub's secondary limits without Retry-After: wait at least a minute, then longer.
        long[] last = SECONDARY.computeIfAbsent(lockKey, k -> new long[] {0});
        last[0] = last[0] == 0 ? SECONDARY_WAIT_MILLIS : last[0] * 2;
        wait = Optional.of(last[0]);
      }
      if ((status == 403 || status == 429) && wait.isPresent()) {
        if (wait.get() > MAX_WAIT_SECONDS * 1000 || attempt >= ATTEMPTS) {
          throw new GitHubException(
              method + " " + pathOnly(path) + ": rate limited for " + wait.get() / 1000 + " s",
              status,
              true);
        }
        clock.sleep(wait.get());
        continue;
      }
      if (status >= 500 && method.equals("POST")) {
        // A create or a comment may have been made before the error: repeating it blindly
        // would make a second one.
        throw new GitHubException(
            method + " " + pathOnly(path) + ": " + status + " " + message(resp),
            status,
            false,
            true);
      }
      if (status >= 500 && attempt < ATTEMPTS) {
        clock.sleep(jitter(backoff));
        backoff *= 2;
        continue;
      }
      throw new GitHubException(
          method + " " + pathOnly(path) + ": " + status + " " + message(resp), status);
    }
  }

  /**
   * Whether a URL is under the configured API: the same scheme, host and port (not merely a string
   * that starts like it, as {@code https://api.github.com.evil.example} does), no user info, and a
   * path under the API's path.
   */
  boolean sameOrigin(String url) {
    URI api = URI.create(apiUrl);
    URI u;
    try {
      u = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (u.getScheme() == null
        || u.getHost() == null
        || u.getRawUserInfo() != null
        || !u.getScheme().equalsIgnoreCase(api.getScheme())
        || !u.getHost().equalsIgnoreCase(api.getHost())
        || port(u) != port(api)) {
      return false;
    }
    String base = api.getRawPath() == null ? "" : api.getRawPath();
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    return base.isEmpty() || path.equals(base) || path.startsWith(base + "/");
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
  }

  /** Retry-After in seconds, or the time until x-ratelimit-reset when none remain. */
  private Optional<Long> rateLimitWait(HttpResponse<byte[]> resp) {
    Optional<String> retryAfter = resp.headers().firstValue("retry-after");
    if (retryAfter.isPresent()) {
      try {
        return Optional.of(Math.max(0, Long.parseLong(retryAfter.get().trim())) * 1000);
      } catch (NumberFormatException e) {
        return Optional.of(MAX_WAIT_SECONDS * 1000);
      }
    }
    if (resp.headers().firstValue("x-ratelimit-remaining").map("0"::equals).orElse(false)) {
      long reset =
          resp.headers().firstValue("x-ratelimit-reset").map(Long::parseLong).orElse(0L) * 1000;
      return Optional.of(Math.max(1_000, reset - clock.nowMillis()));
    }
    return Optional.empty();
  }

  /** The wait after a secondary limit, per token; doubled on each in a row, reset by a success. */
  private static final Map<String, long[]> SECONDARY =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final long SECONDARY_WAIT_MILLIS = 60_000;

  /**
   * A secondary rate limit without Retry-After: a 429, or a 403 whose message says so with requests
   * left in the primary limit (a 403 for permissions is not retried).
   */
  private static boolean secondaryLimit(int status, HttpResponse<byte[]> resp) {
    if (resp.headers().firstValue("x-ratelimit-remaining").map("0"::equals).orElse(false)) {
      return false;
    }
    return status == 429 || message(resp).toLowerCase(java.util.Locale.ROOT).contains("rate limit");
  }

  private static String next(HttpResponse<byte[]> resp) {
    for (String link : resp.headers().allValues("link")) {
      Matcher m = NEXT.matcher(link);
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  private static String message(HttpResponse<byte[]> resp) {
    try {
      String m = JSON.readTree(resp.body()).path("message").asText("");
      return m.length() > 200 ? m.substring(0, 200) : m;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String pathOnly(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static long jitter(long millis) {
    return millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
  }
}
