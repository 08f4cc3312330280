package dev.loggardener.github;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token goes only to the configured API's origin, pagination links included. */
class GitHubClientTest {
  private static GitHubClient client(String api) {
    return new GitHubClient(api, "o/r", () -> FakeGitHub.TOKEN, GitHubClient.Clock.SYSTEM);
  }

  @Test
  void onlyTheApisSchemeHostPortAndPathGetTheToken() {
    GitHubClient c = client("https://api.github.com");
    assertTrue(c.sameOrigin("https://api.github.com/repositories/1/issues?page=2"));
    assertTrue(c.sameOrigin("https://API.GitHub.com:443/repos/o/r/issues"));
    assertFalse(c.sameOrigin("https://api.github.com.evil.example/repos/o/r/issues?page=2"));
    assertFalse(c.sameOrigin("https://api.github.com@evil.example/repos"));
    assertFalse(c.sameOrigin("https://user@api.github.com/repos"));
    assertFalse(c.sameOrigin("http://api.github.com/repos"));
    assertFalse(c.sameOrigin("https://api.github.com:8443/repos"));
    assertFalse(c.sameOrigin("//evil.example/repos"));

    GitHubClient ghes = client("https://ghe.example.com/api/v3");
    assertTrue(ghes.sameOrigin("https://ghe.example.com/api/v3/repos/o/r/issues?page=2"));
    assertFalse(ghes.sameOrigin("https://ghe.example.com/api/v30/repos"));
    assertFalse(ghes.sameOrigin("https://ghe.example.com/login"));
  }
}
