package dev.loggardener.priority;

import com.google.re2j.Pattern;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub CODEOWNERS file: who owns a path.
 *
 * <p>One rule per line, {@code pattern owner owner…}; blank lines and {@code #} comments are
 * ignored, and so is everything from an owner-position {@code #} on (an inline comment). The last
 * matching rule wins, and a rule with no owners leaves its paths unowned. Patterns follow
 * gitignore: {@code *} and {@code ?} stay within one path segment, {@code **} spans segments
 * (leading {@code **}/, trailing /{@code **}, middle /{@code **}/), a leading or middle {@code /}
 * anchors the pattern at the repository root, a slash-free pattern matches at any depth, a trailing
 * {@code /} matches a directory's contents, and a pattern naming a directory also matches
 * everything under it. Where GitHub differs from gitignore we follow GitHub: {@code docs/*} matches
 * {@code docs/a.md} but not {@code docs/x/a.md}, and {@code !} negation and {@code [ ]} ranges do
 * not work, so lines using them are skipped and reported by {@link #errors()} like any other bad
 * line (GitHub skips invalid lines too). A backslash makes the next character literal, so {@code
 * \#notes.md} is a pattern, not a comment.
 *
 * <p>The paths we look up come from running programs, not from a checkout's root: a stack frame or
 * {@code sourceLocation.file} says {@code /app/src/payments/charge.py} or {@code
 * C:\build\src\x.cs}, where {@code /app} or {@code C:\build} is where an image or a CI job put the
 * repository. So {@link #ownersOf} first normalises the path (backslashes become slashes; empty and
 * {@code .} segments go), then tries it as if relative to the root and, if no root-anchored rule
 * matches it, each shorter suffix after a {@code /}, longest first; the first suffix that a
 * root-anchored rule matches is taken as the repository path. Only anchored rules can tell where
 * the root is: a floating rule such as {@code *} (often the first line) or {@code *.py} matches
 * every suffix alike, so it decides the owner of the chosen suffix but does not choose it. When no
 * suffix matches an anchored rule, the whole path is looked up.
 *
 * <p>Log text is attacker-controlled, so each glob is compiled once, to RE2/J (linear-time, no
 * backtracking), at most 16 leading segments are stripped, so a lookup is a bounded number of
 * linear scans per rule, and a path longer than 4096 characters (Linux's PATH_MAX) owns nothing: no
 * source file has such a name, and a large CODEOWNERS file times a huge path is real work.
 */
public final class CodeOwners implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Checkout prefixes are short (/home/runner/work/repo/repo is 5); this bounds the work. */
  private static final int MAX_PREFIX_SEGMENTS = 16;

  /** Linux's PATH_MAX; anything longer is not a real file name (see the class comment). */
  private static final int MAX_PATH = 4096;

  private static final Pattern USER = Pattern.compile("@[A-Za-z0-9][A-Za-z0-9-]{0,38}");
  private static final Pattern TEAM =
      Pattern.compile("@[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  /** A compiled pattern; rooted when it only matches from the repository root. */
  private record Rule(Pattern glob, boolean rooted, List<String> owners) implements Serializable {}

  private final List<Rule> rules;
  private final List<String> errors;

  private CodeOwners(List<Rule> rules, List<String> errors) {
    this.rules = List.copyOf(rules);
    this.errors = List.copyOf(errors);
  }

  /** Reads a CODEOWNERS file; bad lines are skipped and listed in {@link #errors()}. */
  public static CodeOwners parse(String text) {
    List<Rule> rules = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> lines = text == null ? List.of() : text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      try {
        Rule rule = rule(lines.get(i));
        if (rule != null) {
          rules.add(rule);
        }
      } catch (IllegalArgumentException e) {
        errors.add("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new CodeOwners(rules, errors);
  }

  /** "line N: why" for each line that was skipped, in file order. */
  public List<String> errors() {
    return errors;
  }

  /**
   * The owners of the last rule matching {@code path} (a repository path or a runtime one, see the
   * class comment); empty when no rule matches or the matching rule lists no owners.
   */
  public List<String> ownersOf(String path) {
    if (path == null || path.length() > MAX_PATH) {
      return List.of();
    }
    String p = normalise(path);
    if (p.isEmpty()) {
      return List.of();
    }
    int start = 0;
    for (int stripped = 0; stripped <= MAX_PREFIX_SEGMENTS; stripped++) {
      String suffix = p.substring(start);
      if (rules.stream().anyMatch(r -> r.rooted() && r.glob().matches(suffix))) {
        return lastMatch(suffix);
      }
      start = p.indexOf('/', start) + 1;
      if (start == 0) {
        break;
      }
    }
    return lastMatch(p);
  }

  /** The name to route by: "@acme/payments" is "payments", "@alice" "alice", "dev@x.com" "dev". */
  public static String teamName(String owner) {
    int at = owner.indexOf('@');
    if (at > 0) {
      return owner.substring(0, at);
    }
    return owner.substring(Math.max(owner.lastIndexOf('/') + 1, at + 1));
  }

  /** True for a person's handle such as "@alice"; false for "@org/team" and e-mails. */
  public static boolean isUserHandle(String owner) {
    return owner != null && USER.matches(owner);
  }

  private List<String> lastMatch(String path) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      if (rules.get(i).glob().matches(path)) {
        return rules.get(i).owners();
      }
    }
    return List.of();
  }

  /** Slashes only, no empty or "." segments, no leading slash: the form the globs expect. */
  private static String normalise(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (String segment : path.replace('\\', '/').split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        out.append(out.length() == 0 ? "" : "/").append(segment);
      }
    }
    return out.toString();
  }

  /** One line as a rule; null for blanks and comments; IllegalArgumentException says why not. */
  private static Rule rule(String line) {
    List<String> tokens = tokens(line);
    if (tokens.isEmpty() || tokens.get(0).startsWith("#")) {
      return null;
    }
    List<String> owners = new ArrayList<>();
    for (String owner : tokens.subList(1, tokens.size())) {
      if (owner.startsWith("#")) {
        break;
      }
      if (!USER.matches(owner) && !TEAM.matches(owner) && !EMAIL.matches(owner)) {
        throw new IllegalArgumentException(
            "owner \"" + owner + "\" is not @user, @org/team or an e-mail");
      }
      owners.add(owner);
    }
    String pattern = tokens.get(0);
    if (pattern.startsWith("!")) {
      throw new IllegalArgumentException("negation (!) does not work in CODEOWNERS");
    }
    boolean leading = pattern.startsWith("/");
    String body = leading ? pattern.substring(1) : pattern;
    boolean trailing = body.endsWith("/");
    body = trailing ? body.substring(0, body.length() - 1) : body;
    String[] segments = body.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("empty path segment in \"" + pattern + "\"");
      }
    }
    // gitignore: a slash at the start or in the middle anchors the pattern at the root.
    boolean anchored = leading || segments.length > 1;
    StringBuilder re = new StringBuilder(anchored ? "" : "(?:.*/)?");
    boolean slash = false; // whether the next segment needs a "/" before it
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].equals("**")) {
        boolean last = i == segments.length - 1;
        re.append(slash ? "/" : "").append(last ? ".*" : "(?:.*/)?");
        slash = false;
      } else {
        re.append(slash ? "/" : "").append(segment(segments[i]));
        slash = true;
      }
    }
    String last = segments[segments.length - 1];
    if (trailing) {
      re.append("/.*");
    } else if (!last.equals("*") && !last.equals("**")) {
      re.append("(?:/.*)?"); // it may name a directory; GitHub's docs/* stays one level deep
    }
    boolean rooted = anchored && !segments[0].equals("**");
    return new Rule(Pattern.compile(re.toString(), Pattern.DOTALL), rooted, List.copyOf(owners));
  }

  /** One segment's glob as a regex: * and ? stop at "/", a backslash quotes the next character. */
  private static String segment(String glob) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\') {
        if (++i == glob.length()) {
          throw new IllegalArgumentException("nothing after \\ in \"" + glob + "\"");
        }
        literal.append(glob.charAt(i));
      } else if (c == '[' || c == ']') {
        throw new IllegalArgumentException("character ranges ([ ]) do not work in CODEOWNERS");
      } else if (c == '*' || c == '?') {
        re.append(literal.length() == 0 ? "" : Pattern.quote(literal.toString()));
        literal.setLength(0);
        re.append(c == '*' ? "[^/]*" : "[^/]"); // "a**b" is two plain stars, as in gitignore
      } else {
        literal.append(c);
      }
    }
    return re.append(literal.length() == 0 ? "" : Pattern.quote(literal.toString())).toString();
  }

  /** Splits on unescaped whitespace, keeping backslash escapes for the glob translation. */
  private static List<String> tokens(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        token.append(c).append(line.charAt(++i));
      } else if (Character.isWhitespace(c)) {
        if (token.length() > 0) {
          tokens.add(token.toString());
          token.setLength(0);
        }
      } else {
        token.append(c);
      }
    }
    if (token.length() > 0) {
      tokens.add(token.toString());
    }
    return tokens;
  }
}
