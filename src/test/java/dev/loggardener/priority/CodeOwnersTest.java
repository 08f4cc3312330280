package dev.loggardener.priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodeOwnersTest {

  /** Owners of {@code path} under a CODEOWNERS {@code text}, space-joined ("" for none). */
  private static String owners(String text, String path) {
    CodeOwners codeOwners = CodeOwners.parse(text);
    assertEquals(List.of(), codeOwners.errors(), "unexpected bad lines");
    return String.join(" ", codeOwners.ownersOf(path));
  }

  @Test
  void lastMatchingRuleWins() {
    String text = "*       @global-owner1 @global-owner2\n*.js    @js-owner\n";
    assertEquals("@js-owner", owners(text, "web/static/app.js"));
    assertEquals("@global-owner1 @global-owner2", owners(text, "web/static/app.css"));
  }

  @Test
  void anEarlierMatchLosesEvenWhenMoreSpecific() {
    assertEquals("@global", owners("*.js @js-owner\n* @global\n", "web/static/app.js"));
  }

  @ParameterizedTest
  @CsvSource({
    "app.js, @js-owner",
    "web/static/app.js, @js-owner",
    "web/static/app.jsx, ''",
    "web/static/app.js.map, ''",
    "web/static/js, ''",
  })
  void starDotJsMatchesAtAnyDepth(String path, String expected) {
    assertEquals(expected, owners("*.js @js-owner\n", path));
  }

  @ParameterizedTest
  @CsvSource({
    "build/logs/app.log, @doctocat",
    "build/logs/2024/01/app.log, @doctocat",
    // A repository path under /services/: the anchored /build/logs/ does not match inside it.
    "services/build/logs/app.log, @acme/platform",
    "services/api/main.go, @acme/platform",
    "README.md, @global",
  })
  void anchoredPatternMatchesFromTheRoot(String path, String expected) {
    String text = "* @global\n/services/ @acme/platform\n/build/logs/ @doctocat\n";
    assertEquals(expected, owners(text, path));
  }

  @ParameterizedTest
  @CsvSource({
    "logs/app.log, @doctocat",
    "services/build/logs/app.log, @doctocat",
    "services/build/logsearch/app.log, @acme/platform",
  })
  void unanchoredPatternMatchesAtAnyDepth(String path, String expected) {
    String text = "* @global\n/services/ @acme/platform\nlogs/ @doctocat\n";
    assertEquals(expected, owners(text, path));
  }

  @ParameterizedTest
  @CsvSource({
    "docs/api/v1.md, @api-docs",
    // The middle slash anchors docs/api at the root (gitignore), so it stays out of /pkg/.
    "pkg/docs/api/v1.md, @acme/pkg",
  })
  void slashInTheMiddleAnchors(String path, String expected) {
    String text = "* @global\n/pkg/ @acme/pkg\ndocs/api/ @api-docs\n";
    assertEquals(expected, owners(text, path));
  }

  @ParameterizedTest
  @CsvSource({
    "docs/getting-started.md, docs@example.com",
    "docs/build-app/troubleshooting.md, ''",
    "docs, ''",
    "documents/a.md, ''",
  })
  void docsStarIsOneLevelDeep(String path, String expected) {
    assertEquals(expected, owners("docs/*  docs@example.com\n", path));
  }

  @ParameterizedTest
  @CsvSource({
    "docs/getting-started.md, @doctocat",
    "docs/build-app/troubleshooting.md, @doctocat",
    "docs/a/b/c/d.png, @doctocat",
    "documents/a.md, ''",
  })
  void docsDoubleStarIsEveryDepth(String path, String expected) {
    assertEquals(expected, owners("docs/** @doctocat\n", path));
  }

  @ParameterizedTest
  @CsvSource({
    "build/logs/app.log, @octocat",
    "scripts/logs/rotate.sh, @octocat",
    "deeply/nested/logs/2024/app.log, @octocat",
    "logs/app.log, @octocat",
    "build/logsearch/app.log, ''",
    "build/catalogs/app.log, ''",
  })
  void leadingDoubleStarMatchesAnyLogsDirectory(String path, String expected) {
    assertEquals(expected, owners("**/logs @octocat\n", path));
  }

  @ParameterizedTest
  @CsvSource({
    "src/test/conftest.py, @acme/qa",
    "src/payments/charge/test/test_charge.py, @acme/qa",
    "src/payments/testing/helpers.py, ''",
    "lib/test/conftest.py, ''",
  })
  void middleDoubleStarIsZeroOrMoreDirectories(String path, String expected) {
    assertEquals(expected, owners("src/**/test/ @acme/qa\n", path));
  }

  @ParameterizedTest
  @CsvSource({
    "apps/web/index.js, @octocat",
    "services/apps/worker/main.go, @octocat",
    "apps, ''",
    "applications/web/index.js, ''",
  })
  void trailingSlashMatchesADirectoryAnywhere(String path, String expected) {
    assertEquals(expected, owners("apps/ @octocat\n", path));
  }

  @ParameterizedTest
  @CsvSource({
    "docs, @doctocat",
    "docs/a.md, @doctocat",
    "docs/guide/install.md, @doctocat",
    "website/docs/a.md, @doctocat",
    "docs.md, ''",
    "mydocs/a.md, ''",
  })
  void directoryWithoutTrailingSlashAlsoMatchesItsContents(String path, String expected) {
    assertEquals(expected, owners("docs @doctocat\n", path));
  }

  @ParameterizedTest
  @CsvSource({
    "apps/web/index.js, @octocat",
    "apps/github/index.js, ''",
    "apps/github/workflows/ci.yml, ''",
    "apps/github/ci/runner.go, @acme/ci",
  })
  void ruleWithoutOwnersClearsAnEarlierOne(String path, String expected) {
    String text = "/apps/ @octocat\n/apps/github\n/apps/github/ci/ @acme/ci\n";
    assertEquals(expected, owners(text, path));
  }

  @ParameterizedTest
  @CsvSource({"src/v1/api.go, @acme/api", "src/v2/api.go, @acme/api", "src/v10/api.go, ''"})
  void questionMarkIsOneCharacter(String path, String expected) {
    assertEquals(expected, owners("/src/v?/ @acme/api\n", path));
  }

  @Test
  void commentsBlankLinesAndInlineCommentsAreIgnored() {
    String text =
        "# This is a comment.\n\n   # an indented comment\n\t\n*.md @docs-team #inline comment\n";
    CodeOwners codeOwners = CodeOwners.parse(text);
    assertEquals(List.of(), codeOwners.errors());
    assertEquals(List.of("@docs-team"), codeOwners.ownersOf("README.md"));
    assertEquals(List.of(), codeOwners.ownersOf("main.go"));
  }

  @Test
  void hashLineIsACommentButEscapedHashIsAPattern() {
    assertEquals("", owners("#notes.md @alice\n", "#notes.md"));
    assertEquals("@alice", owners("\\#notes.md @alice\n", "#notes.md"));
    assertEquals("@alice", owners("\\#notes.md @alice\n", "docs/#notes.md"));
    assertEquals("", owners("\\#notes.md @alice\n", "notes.md"));
  }

  @Test
  void backslashEscapesASpaceInAPattern() {
    assertEquals("@alice", owners("/My\\ Documents/ @alice\n", "My Documents/todo.txt"));
  }

  @Test
  void badLinesAreSkippedAndReportedWithTheirLineNumbers() {
    String text =
        String.join(
            "\n",
            "* @global",
            "!*.log @ops",
            "Python/ceval*.[ch] @markshannon",
            "*.py alice",
            "/ @root",
            "*.go @gophers",
            "src//x.c @c-team",
            "a\\");
    CodeOwners codeOwners = CodeOwners.parse(text);
    List<String> errors = codeOwners.errors();
    assertEquals(6, errors.size(), errors.toString());
    assertEquals("line 2: negation (!) does not work in CODEOWNERS", errors.get(0));
    assertEquals("line 3: character ranges ([ ]) do not work in CODEOWNERS", errors.get(1));
    assertTrue(errors.get(2).startsWith("line 4: owner \"alice\""), errors.get(2));
    assertTrue(errors.get(3).startsWith("line 5: "), errors.get(3));
    assertTrue(errors.get(4).startsWith("line 7: "), errors.get(4));
    assertTrue(errors.get(5).startsWith("line 8: "), errors.get(5));
    assertEquals(List.of("@global"), codeOwners.ownersOf("var/log/app.log"));
    assertEquals(List.of("@global"), codeOwners.ownersOf("Python/ceval.c"));
    assertEquals(List.of("@global"), codeOwners.ownersOf("tools/gen.py"));
    assertEquals(List.of("@gophers"), codeOwners.ownersOf("cmd/main.go"));
  }

  @Test
  void windowsLineEndingsKeepLineNumbers() {
    CodeOwners codeOwners = CodeOwners.parse("* @global\r\n[abc] @x\r\n*.go @gophers\r\n");
    assertEquals(1, codeOwners.errors().size());
    assertTrue(codeOwners.errors().get(0).startsWith("line 2: "));
    assertEquals(List.of("@gophers"), codeOwners.ownersOf("cmd/main.go"));
  }

  @Test
  void emptyFileOwnsNothing() {
    assertEquals(List.of(), CodeOwners.parse("").ownersOf("src/main.go"));
    assertEquals(List.of(), CodeOwners.parse(null).ownersOf("src/main.go"));
  }

  /** A catch-all first line, then one rule per runtime-path example. */
  private static final String SERVICES =
      String.join(
          "\n",
          "*                @acme/everyone",
          "*.md             @acme/docs",
          "/src/payments/   @acme/payments",
          "/services/api/   @acme/api",
          "/src/main/java/  @acme/jvm",
          "/lib/            @acme/web",
          "/src/*.cs        @acme/dotnet",
          "/src/payments/fraud/ @acme/fraud @alice");

  @ParameterizedTest
  @CsvSource({
    "/app/src/payments/charge.py, @acme/payments",
    "/app/src/payments/fraud/score.py, @acme/fraud @alice",
    "/workspace/services/api/handler.go, @acme/api",
    "src/main/java/com/acme/Foo.java, @acme/jvm",
    "./lib/x.js, @acme/web",
    "C:\\build\\src\\x.cs, @acme/dotnet",
    "/home/runner/work/shop/shop/src/payments/refund.py, @acme/payments",
    "/app//src/./payments/charge.py, @acme/payments",
    // No anchored rule matches any suffix: the floating rules decide on the whole path.
    "/usr/local/go/src/net/http/server.go, @acme/everyone",
    "/app/README.md, @acme/docs",
    // Once src/payments/README.md is the repository path, the later /src/payments/ beats *.md.
    "/app/src/payments/README.md, @acme/payments",
  })
  void runtimePathsMatchOnTheSuffixThatIsARepositoryPath(String path, String expected) {
    assertEquals(expected, owners(SERVICES, path));
  }

  @Test
  void windowsPath() {
    CodeOwners codeOwners = CodeOwners.parse("/src/Billing/ @acme/billing\n");
    assertEquals(
        List.of("@acme/billing"),
        codeOwners.ownersOf("C:\\agent\\_work\\1\\s\\src\\Billing\\Invoice.cs"));
    assertEquals(List.of("@acme/billing"), codeOwners.ownersOf("src\\Billing\\Invoice.cs"));
  }

  @Test
  void longestSuffixIsTriedFirst() {
    // src/payments/charge.py is taken as the repository path; /payments/ is anchored elsewhere.
    String text = "/src/ @acme/src\n/payments/ @acme/payments\n";
    assertEquals("@acme/src", owners(text, "/app/src/payments/charge.py"));
    assertEquals("@acme/payments", owners(text, "/app/payments/charge.py"));
  }

  @Test
  void wholePathRelativeToTheRootComesBeforeAnySuffix() {
    String text = "/app/ @acme/app\n/src/ @acme/src\n";
    assertEquals("@acme/app", owners(text, "/app/src/main.py"));
  }

  @Test
  void emptyPathsOwnNothing() {
    CodeOwners codeOwners = CodeOwners.parse("* @global\n");
    assertEquals(List.of(), codeOwners.ownersOf(""));
    assertEquals(List.of(), codeOwners.ownersOf("/"));
    assertEquals(List.of(), codeOwners.ownersOf("./"));
    assertEquals(List.of(), codeOwners.ownersOf(null));
  }

  private static final String GREEDY_RULES =
      String.join(
          "\n",
          "* @global",
          "*a*a*a*a*a*a*a*b @stars",
          "**/a/**/a/**/a/**/b @deep",
          "/a/a/a/a/b/ @anchored",
          "a?a?a?a?b @marks");

  @Test
  void hostilePathsJustUnderTheLengthLimitGoThroughTheMatcher() {
    CodeOwners codeOwners = CodeOwners.parse(GREEDY_RULES);
    assertEquals(List.of("@global"), codeOwners.ownersOf("a/".repeat(2_040) + "c.py"));
    assertEquals(List.of("@global"), codeOwners.ownersOf("a".repeat(4_000)));
    assertEquals(List.of("@stars"), codeOwners.ownersOf("a".repeat(4_000) + "b"));
    assertEquals(List.of("@deep"), codeOwners.ownersOf("a/".repeat(2_040) + "b"));
  }

  @Test
  void pathsLongerThanPathMaxOwnNothing() {
    CodeOwners codeOwners = CodeOwners.parse("* @global\n");
    assertEquals(List.of("@global"), codeOwners.ownersOf("a/".repeat(2_046) + "b.py"));
    assertEquals(List.of(), codeOwners.ownersOf("a/".repeat(2_047) + "b.py"));
  }

  @Test
  void hostile100KbPathsReturn() {
    CodeOwners codeOwners = CodeOwners.parse(GREEDY_RULES);
    char[] stars = new char[100_000];
    Arrays.fill(stars, 'a');
    String[] paths = {
      "a/".repeat(50_000) + "c.py",
      new String(stars),
      "/" + "a*".repeat(50_000),
      "\\".repeat(100_000),
      "./".repeat(50_000) + "x",
    };
    for (String path : paths) {
      assertTrue(codeOwners.ownersOf(path).size() <= 1);
    }
  }

  @Test
  void survivesJavaSerialization() throws IOException, ClassNotFoundException {
    CodeOwners codeOwners = CodeOwners.parse(SERVICES + "\n[x] @bad\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(codeOwners);
    }
    CodeOwners copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (CodeOwners) in.readObject();
    }
    assertEquals(List.of("@acme/payments"), copy.ownersOf("/app/src/payments/charge.py"));
    assertEquals(codeOwners.errors(), copy.errors());
  }

  @ParameterizedTest
  @CsvSource({
    "@acme/payments, payments",
    "@alice, alice",
    "dev@x.com, dev",
    "@octo-org/codeowners-team, codeowners-team",
  })
  void teamName(String owner, String expected) {
    assertEquals(expected, CodeOwners.teamName(owner));
  }

  @Test
  void isUserHandle() {
    assertTrue(CodeOwners.isUserHandle("@alice"));
    assertTrue(CodeOwners.isUserHandle("@global-owner1"));
    assertFalse(CodeOwners.isUserHandle("@acme/payments"));
    assertFalse(CodeOwners.isUserHandle("dev@x.com"));
    assertFalse(CodeOwners.isUserHandle("alice"));
    assertFalse(CodeOwners.isUserHandle("@"));
    assertFalse(CodeOwners.isUserHandle(null));
  }
}
