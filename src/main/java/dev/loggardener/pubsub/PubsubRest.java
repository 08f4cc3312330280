package dev.loggardener.pubsub;

import com.google.auth.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Pub/Sub's REST API, the few calls the gardener makes itself: against the emulator (no
 * credentials) or Pub/Sub (the pipeline's credentials).
 */
public final class PubsubRest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String rootUrl;
  private final Credentials credentials;

  /**
   * @param credentials null for the emulator
   */
  public PubsubRest(String rootUrl, Credentials credentials) {
    this.rootUrl = rootUrl.endsWith("/") ? rootUrl.substring(0, rootUrl.length() - 1) : rootUrl;
    this.credentials = credentials;
  }

  /** One call; the response body, or an IOException naming the call and the HTTP status. */
  public String send(String method, String path, String json)
      throws IOException, InterruptedException {
    URI uri = URI.create(rootUrl + path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(java.time.Duration.ofSeconds(10))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    Map<String, List<String>> metadata =
        credentials == null ? null : credentials.getRequestMetadata(uri);
    if (metadata != null) {
      for (Map.Entry<String, List<String>> h : metadata.entrySet()) {
        for (String v : h.getValue()) {
          b.header(h.getKey(), v);
        }
      }
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
