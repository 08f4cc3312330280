package dev.loggardener.github;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for issues, comments and labels, in memory, on a local port. Every request it
 * receives and every response it sends is checked against GitHub's published OpenAPI description
 * ({@code ../shared/github-openapi}); {@link #contractViolations()} lists what did not match.
 */
final class FakeGitHub implements AutoCloseable {
  static final String TOKEN = "ghp_fakeTokenForTests0123456789abcdefABCD";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OpenApiInteractionValidator validator;

  private final HttpServer server;
  private final String owner;
  private final String repo;
  private final Map<Integer, ObjectNode> issues = new TreeMap<>();

  /** Logins with access to the repository: the only ones GitHub will assign. */
  final java.util.Set<String> assignable = new java.util.HashSet<>();

  private final Map<Integer, List<ObjectNode>> comments = new TreeMap<>();
  private final ArrayDeque<int[]> faults = new ArrayDeque<>();
  private final List<Map<String, String>> faultHeaders = new ArrayList<>();
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private int nextId = 1000;
  private int nextNumber = 1;
  private Instant now = Instant.parse("2025-09-15T08:00:00Z");

  FakeGitHub(String ownerAndRepo) throws IOException {
    String[] parts = ownerAndRepo.split("/");
    this.owner = parts[0];
    this.repo = parts[1];
    synchronized (FakeGitHub.class) {
      if (validator == null) {
        Path spec = Path.of("../shared/github-openapi/api.github.com.json");
        if (!Files.exists(spec)) {
          throw new IllegalStateException("GitHub's OpenAPI description is missing: " + spec);
        }
        // GitHub's docs ask clients to send Accept: application/vnd.github+json (JSON in GitHub's
        // vendor type); its description lists only application/json for responses, so the
        // validator's strict Accept check is turned off and everything else is enforced.
        validator =
            OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
                // allOf (the issue PATCH answers an issue plus suggestions) as one schema:
                // the validator's own advice for allOf with additionalProperties.
                .withResolveCombinators(true)
                .withLevelResolver(
                    com.atlassian.oai.validator.report.LevelResolver.create()
                        .withLevel(
                            "validation.request.accept.notAllowed", ValidationReport.Level.IGNORE)
                        .build())
                .build();
      }
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private final ArrayDeque<Object[]> afterCommit = new ArrayDeque<>();

  /**
   * The next request with this method is carried out, but its response is lost: this status comes
   * instead (a 5xx after the commit).
   */
  synchronized void loseNextResponse(String method, int status) {
    afterCommit.addLast(new Object[] {method, status});
  }

  /** The next request answers with this status and headers instead. */
  synchronized void failNext(int status, Map<String, String> headers) {
    faults.addLast(new int[] {status, faultHeaders.size()});
    faultHeaders.add(headers);
  }

  List<String> contractViolations() {
    return List.copyOf(violations);
  }

  synchronized List<JsonNode> issues() {
    return List.copyOf(issues.values());
  }

  synchronized List<String> commentBodies(int number) {
    List<String> out = new ArrayList<>();
    for (ObjectNode c : comments.getOrDefault(number, List.of())) {
      out.add(c.path("body").asText());
    }
    return out;
  }

  /** Every request as received: method, path, query and body. */
  List<String> requestBodies() {
    return List.copyOf(bodies);
  }

  long writes() {
    return requests.stream().filter(r -> !r.startsWith("GET ")).count();
  }

  /** Someone closes the issue in GitHub's UI. */
  synchronized void closeByUser(int number, Instant at) {
    ObjectNode i = issues.get(number);
    i.put("state", "closed");
    i.put("state_reason", "completed");
    i.put("closed_at", at.toString());
    i.put("updated_at", at.toString());
  }

  /** Someone adds a label in GitHub's UI. */
  synchronized void addLabelByUser(int number, String label) {
    ((ArrayNode) issues.get(number).withArray("labels")).add(label(label));
  }

  /** Someone deletes an issue (admins can). */
  synchronized void deleteByUser(int number) {
    issues.remove(number);
    comments.remove(number);
  }

  /** Someone files an issue by hand. */
  synchronized int fileByHand(String title, String body, List<String> labels) {
    return newIssue(title, body, labels).path("number").asInt();
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String rawPath = x.getRequestURI().getRawPath();
    String query = x.getRequestURI().getRawQuery();
    byte[] reqBody = x.getRequestBody().readAllBytes();
    requests.add(method + " " + rawPath);
    bodies.add(
        method
            + " "
            + rawPath
            + "?"
            + query
            + "\n"
            + new String(reqBody, java.nio.charset.StandardCharsets.UTF_8));
    Map<String, String> params = params(query);
    SimpleRequest.Builder rb = new SimpleRequest.Builder(method, rawPath);
    params.forEach(rb::withQueryParam);
    x.getRequestHeaders().forEach((k, v) -> rb.withHeader(k, v));
    if (reqBody.length > 0) {
      rb.withBody(new String(reqBody, StandardCharsets.UTF_8));
    }
    Request request = rb.build();

    int status;
    Object body;
    Map<String, String> headers = new LinkedHashMap<>();
    if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
      status = 401;
      body = error("Requires authentication");
    } else if (!faults.isEmpty()) {
      int[] f = faults.pollFirst();
      status = f[0];
      headers.putAll(faultHeaders.get(f[1]));
      body = error(status >= 500 ? "Server Error" : "You have exceeded a secondary rate limit.");
    } else {
      Object[] r = route(method, rawPath, params, reqBody, headers);
      status = (Integer) r[0];
      body = r[1];
      if (!afterCommit.isEmpty() && afterCommit.peekFirst()[0].equals(method)) {
        status = (Integer) afterCommit.pollFirst()[1];
        body = error("Server Error");
        headers.clear();
      }
    }
    byte[] out = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    SimpleResponse.Builder resp = SimpleResponse.Builder.status(status);
    headers.forEach(resp::withHeader);
    if (body != null) {
      resp.withContentType("application/json").withBody(new String(out, StandardCharsets.UTF_8));
    }
    check(method, rawPath, request, resp.build(), status);
    headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
    x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    x.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      x.getResponseBody().write(out);
    }
    x.close();
  }

  private void check(
      String method, String path, Request request, SimpleResponse response, int status) {
    // Faults and auth errors are GitHub's generic error bodies; check the request alone then.
    ValidationReport report =
        status >= 400 && status != 404 && status != 422
            ? validator.validateRequest(request)
            : validator.validate(request, response);
    for (ValidationReport.Message m : report.getMessages()) {
      if (m.getLevel() == ValidationReport.Level.ERROR) {
        violations.add(
            method + " " + path + " " + status + ": " + m.getKey() + " " + m.getMessage());
      }
    }
  }

  private static String nested(ValidationReport.Message m) {
    StringBuilder b = new StringBuilder();
    for (ValidationReport.Message n : m.getNestedMessages()) {
      b.append(" [")
          .append(n.getKey())
          .append(": ")
          .append(n.getMessage())
          .append(nested(n))
          .append(']');
    }
    for (String a : m.getAdditionalInfo()) {
      b.append(" {").append(a).append('}');
    }
    return b.toString();
  }

  private static final Pattern ISSUES = Pattern.compile("/repos/([^/]+)/([^/]+)/issues");
  private static final Pattern ISSUE = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)");
  private static final Pattern ASSIGNEES =
      Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)/assignees");
  private static final Pattern COMMENTS =
      Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)/comments");

  private Object[] route(
      String method, String path, Map<String, String> params, byte[] body, Map<String, String> h)
      throws IOException {
    Matcher m;
    if ((m = ASSIGNEES.matcher(path)).matches() && ours(m) && method.equals("POST")) {
      ObjectNode issue = issues.get(Integer.parseInt(m.group(3)));
      if (issue == null) {
        return new Object[] {404, error("Not Found")};
      }
      // GitHub adds the logins it can assign and ignores the rest, answering 201 with the issue.
      ArrayNode assignees = (ArrayNode) issue.get("assignees");
      for (JsonNode login : JSON.readTree(body).path("assignees")) {
        if (assignable.contains(login.asText())) {
          ObjectNode u = user().deepCopy();
          u.put("login", login.asText());
          assignees.add(u);
          issue.set("assignee", assignees.get(0));
        }
      }
      return new Object[] {201, issue};
    }
    if ((m = COMMENTS.matcher(path)).matches() && ours(m)) {
      int n = Integer.parseInt(m.group(3));
      if (!issues.containsKey(n)) {
        return new Object[] {404, error("Not Found")};
      }
      if (method.equals("GET")) {
        return new Object[] {200, page(comments.getOrDefault(n, List.of()), params, path, h)};
      }
      if (method.equals("POST")) {
        JsonNode req = JSON.readTree(body);
        ObjectNode c = comment(n, req.path("body").asText());
        comments.computeIfAbsent(n, k -> new ArrayList<>()).add(c);
        ObjectNode issue = issues.get(n);
        issue.put("comments", issue.path("comments").asInt() + 1);
        return new Object[] {201, c};
      }
    } else if ((m = ISSUE.matcher(path)).matches() && ours(m)) {
      int n = Integer.parseInt(m.group(3));
      ObjectNode issue = issues.get(n);
      if (issue == null) {
        return new Object[] {404, error("Not Found")};
      }
      if (method.equals("GET")) {
        return new Object[] {200, issue};
      }
      if (method.equals("PATCH")) {
        JsonNode req = JSON.readTree(body);
        if (req.has("labels")) {
          ArrayNode labels = issue.putArray("labels");
          for (JsonNode l : req.get("labels")) {
            labels.add(label(l.asText()));
          }
        }
        if (req.has("state")) {
          String state = req.get("state").asText();
          issue.put("state", state);
          if (state.equals("open")) {
            issue.putNull("closed_at");
            issue.put("state_reason", "reopened");
          } else {
            issue.put("closed_at", now.toString());
          }
        }
        if (req.has("title")) {
          issue.put("title", req.get("title").asText());
        }
        issue.put("updated_at", now.toString());
        return new Object[] {200, issue};
      }
    } else if ((m = ISSUES.matcher(path)).matches() && ours(m)) {
      if (method.equals("GET")) {
        List<ObjectNode> matching = new ArrayList<>();
        String state = params.getOrDefault("state", "open");
        List<String> wanted =
            params.containsKey("labels") ? List.of(params.get("labels").split(",")) : List.of();
        for (ObjectNode i : issues.values()) {
          List<String> names = new ArrayList<>();
          i.path("labels").forEach(l -> names.add(l.path("name").asText()));
          if ((state.equals("all") || state.equals(i.path("state").asText()))
              && names.containsAll(wanted)) {
            matching.add(i);
          }
        }
        Collections.reverse(matching); // newest first, as GitHub sorts by default
        return new Object[] {200, page(matching, params, path, h)};
      }
      if (method.equals("POST")) {
        JsonNode req = JSON.readTree(body);
        List<String> labels = new ArrayList<>();
        req.path("labels").forEach(l -> labels.add(l.asText()));
        return new Object[] {
          201, newIssue(req.path("title").asText(), req.path("body").asText(), labels)
        };
      }
    }
    return new Object[] {404, error("Not Found")};
  }

  private boolean ours(Matcher m) {
    return m.group(1).equals(owner) && m.group(2).equals(repo);
  }

  private ArrayNode page(
      List<ObjectNode> all, Map<String, String> params, String path, Map<String, String> h) {
    int per = Integer.parseInt(params.getOrDefault("per_page", "30"));
    int page = Integer.parseInt(params.getOrDefault("page", "1"));
    ArrayNode out = JSON.createArrayNode();
    int from = (page - 1) * per;
    for (int i = from; i < Math.min(all.size(), from + per); i++) {
      out.add(all.get(i));
    }
    if (from + per < all.size()) {
      Map<String, String> next = new TreeMap<>(params);
      next.put("page", String.valueOf(page + 1));
      StringBuilder q = new StringBuilder();
      next.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(v));
      h.put("Link", "<" + url() + path + q + ">; rel=\"next\"");
    }
    return out;
  }

  private ObjectNode newIssue(String title, String body, List<String> labels) {
    int number = nextNumber++; // GitHub never reuses a number, even of a deleted issue
    ObjectNode i = JSON.createObjectNode();
    long id = nextId++;
    String api = url() + "/repos/" + owner + "/" + repo + "/issues/" + number;
    i.put("id", id);
    i.put("node_id", "I_" + id);
    i.put("url", api);
    i.put("repository_url", url() + "/repos/" + owner + "/" + repo);
    i.put("labels_url", api + "/labels{/name}");
    i.put("comments_url", api + "/comments");
    i.put("events_url", api + "/events");
    i.put("html_url", "https://github.com/" + owner + "/" + repo + "/issues/" + number);
    i.put("number", number);
    i.put("state", "open");
    i.putNull("state_reason");
    i.put("title", title);
    i.put("body", body);
    i.set("user", user());
    ArrayNode ls = i.putArray("labels");
    labels.forEach(l -> ls.add(label(l)));
    i.putNull("assignee");
    i.putArray("assignees");
    i.putNull("milestone");
    i.put("locked", false);
    i.putNull("active_lock_reason");
    i.put("comments", 0);
    i.put("created_at", now.toString());
    i.put("updated_at", now.toString());
    i.putNull("closed_at");
    i.put("author_association", "OWNER");
    issues.put(number, i);
    return i;
  }

  private ObjectNode comment(int issue, String body) {
    ObjectNode c = JSON.createObjectNode();
    long id = nextId++;
    c.put("id", id);
    c.put("node_id", "IC_" + id);
    c.put("url", url() + "/repos/" + owner + "/" + repo + "/issues/comments/" + id);
    c.put(
        "html_url",
        "https://github.com/" + owner + "/" + repo + "/issues/" + issue + "#issuecomment-" + id);
    c.put("body", body);
    c.set("user", user());
    c.put("created_at", now.toString());
    c.put("updated_at", now.toString());
    c.put("issue_url", url() + "/repos/" + owner + "/" + repo + "/issues/" + issue);
    c.put("author_association", "OWNER");
    return c;
  }

  private ObjectNode label(String name) {
    ObjectNode l = JSON.createObjectNode();
    long id = Math.abs((long) name.hashCode()) + 1;
    l.put("id", id);
    l.put("node_id", "LA_" + id);
    l.put("url", url() + "/repos/" + owner + "/" + repo + "/labels/" + name);
    l.put("name", name);
    l.put("color", "ededed");
    l.put("default", false);
    l.putNull("description");
    return l;
  }

  private ObjectNode user() {
    ObjectNode u = JSON.createObjectNode();
    String base = url() + "/users/log-gardener";
    u.put("login", "log-gardener");
    u.put("id", 1);
    u.put("node_id", "U_1");
    u.put("avatar_url", "https://avatars.githubusercontent.com/u/1");
    u.put("gravatar_id", "");
    u.put("url", base);
    u.put("html_url", "https://github.com/log-gardener");
    u.put("followers_url", base + "/followers");
    u.put("following_url", base + "/following{/other_user}");
    u.put("gists_url", base + "/gists{/gist_id}");
    u.put("starred_url", base + "/starred{/owner}{/repo}");
    u.put("subscriptions_url", base + "/subscriptions");
    u.put("organizations_url", base + "/orgs");
    u.put("repos_url", base + "/repos");
    u.put("events_url", base + "/events{/privacy}");
    u.put("received_events_url", base + "/received_events");
    u.put("type", "User");
    u.put("site_admin", false);
    return u;
  }

  private static ObjectNode error(String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("message", message);
    e.put("documentation_url", "https://docs.github.com/rest");
    return e;
  }

  private static Map<String, String> params(String query) {
    Map<String, String> out = new TreeMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String p : query.split("&")) {
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      String v = eq < 0 ? "" : p.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
