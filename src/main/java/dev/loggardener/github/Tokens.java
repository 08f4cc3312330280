package dev.loggardener.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Where the GitHub token comes from, resolved where the sync runs: a Secret Manager version, or an
 * environment variable. The token is returned, never logged; errors name the source, not the value.
 */
public final class Tokens {
  private Tokens() {}

  /**
   * @param secret {@code projects/P/secrets/S/versions/V}, or null
   * @param env an environment variable's name (a JVM system property of that name also counts, for
   *     tests and embedded runs)
   * @return the token, or null when there is none
   */
  public static String resolve(String secret, String env) throws IOException {
    if (secret != null && !secret.isBlank()) {
      return fromSecretManager(secret);
    }
    if (env == null || env.isBlank()) {
      return null;
    }
    String v = System.getenv(env);
    if (v == null || v.isBlank()) {
      v = System.getProperty(env);
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** Whether a token is there, without reading a secret (used to default --githubDryRun). */
  public static boolean present(String secret, String env) {
    if (secret != null && !secret.isBlank()) {
      return true;
    }
    try {
      return resolve(null, env) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static String fromSecretManager(String version) throws IOException {
    if (!version.matches("projects/[^/]+/secrets/[^/]+/versions/[^/]+")) {
      throw new IOException(
          "--githubTokenSecret must be projects/P/secrets/S/versions/V, not " + version);
    }
    GoogleCredentials credentials =
        GoogleCredentials.getApplicationDefault()
            .createScoped("https://www.googleapis.com/auth/cloud-platform");
    credentials.refreshIfExpired();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("https://secretmanager.googleapis.com/v1/" + version + ":access"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + credentials.getAccessToken().getTokenValue())
            .GET()
            .build();
    try {
      HttpResponse<byte[]> r =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException("Secret Manager " + version + ": HTTP " + r.statusCode());
      }
      String data = new ObjectMapper().readTree(r.body()).path("payload").path("data").asText("");
      return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8).trim();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Secret Manager " + version + ": interrupted", e);
    }
  }
}
