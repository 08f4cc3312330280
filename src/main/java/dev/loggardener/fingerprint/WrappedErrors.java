package dev.loggardener.fingerprint;

import static dev.loggardener.fingerprint.Templater.DROP;
import static dev.loggardener.fingerprint.Templater.indexOf;
import static dev.loggardener.fingerprint.Templater.isCodeName;
import static dev.loggardener.fingerprint.Templater.isQuote;
import static dev.loggardener.fingerprint.Templater.isTitleWord;

/**
 * The error a line wraps, masked as one value whatever its words: the part of {@link Templater}
 * that finds a cause after a clause that says something failed. It works on Templater's token
 * bounds and masks, in place.
 */
final class WrappedErrors {
  private WrappedErrors() {}

  /** The fewest words before a cause: "could not open socket: …". */
  private static final int MIN_CAUSE_HEAD = 3;

  /**
   * "could not resolve instance version: connection reset by peer": once a line has said in at
   * least three words that something failed (failed, error, unable, could not, denied…), the error
   * it wraps is one value whatever its words, so the template and its length do not depend on it.
   * The cause is what follows the next colon (Go's {@code "…: %v"}, Python's {@code "…: %s" % exc},
   * Java's {@code "…: {}"}), "due to" or a lone dash (Redis's {@code "… - %s"}, at most six words),
   * or what a parenthesis right after holds ({@code "could not open %s (%w)"}). Not masked: a cause
   * that starts with an exception or class name (the type is the problem's identity: "raised
   * unexpected: KeyError(…)") or with no letter ("from 10.0.0.7: 11: Bye Bye"), and a parenthesised
   * note that closes the line ("… (skipped due to skip-failed-instance-config flag)"), which is the
   * format's own text. A line that does not say something failed ("critical input interrupt (unit=3
   * bit=7): warning for torus z+ wire") describes, and what follows is its own text.
   */
  static void mask(String s, int[] bounds, int[] mask, int n) {
    int words = 0;
    boolean failure = false;
    int scanned = 0; // tokens before this one have been looked at for a failure word
    for (int t = 0; t + 1 < n; t++) {
      if (mask[2 * t] == DROP) {
        continue;
      }
      int b = bounds[2 * t];
      int e = bounds[2 * t + 1];
      boolean endsInColon = e - b >= 2 && s.charAt(e - 1) == ':' && s.charAt(e - 2) != ':';
      // Only "at least three" matters, so words past the third are not looked at.
      if (words < MIN_CAUSE_HEAD
          && mask[2 * t] == -1
          && isProseWord(s, b, endsInColon ? e - 1 : e)) {
        words++;
      }
      // Where a cause would start after this token, or -1: a colon, a lone dash, "due to", or a
      // parenthesis right after.
      int from = -1;
      boolean parenthesised = false;
      if (endsInColon) {
        from = t + 1;
      } else if (isLoneDashBeforeCause(s, bounds, n, t) || isDueTo(s, bounds, n, t)) {
        from = t + 2;
      } else if (mask[2 * t + 2] != DROP && s.charAt(bounds[2 * t + 2]) == '(') {
        from = t + 1;
        parenthesised = true;
      }
      // A failure word is looked for only where a cause could start (most lines have none).
      if (from >= 0 && words >= MIN_CAUSE_HEAD && !failure) {
        for (; scanned <= t; scanned++) {
          int sb = bounds[2 * scanned];
          int se = bounds[2 * scanned + 1];
          if (mask[2 * scanned] == -1
              && isFailureWord(s, sb, se)
              && isProseWord(s, sb, s.charAt(se - 1) == ':' ? se - 1 : se)) {
            failure = true;
          }
        }
      }
      if (words < MIN_CAUSE_HEAD || !failure) {
        if (endsInColon) {
          words = 0; // "panic: runtime error: …": a label, then a clause of its own
          failure = false;
          scanned = t + 1;
        }
        continue;
      }
      if (from >= 0) {
        if (parenthesised) {
          maskParenthesised(s, bounds, mask, n, from);
        } else {
          maskCauseFrom(s, bounds, mask, n, from);
        }
        return;
      }
    }
  }

  /**
   * A lone dash after token {@code t}, then at most {@value #MAX_DASH_CAUSE_WORDS} words: Redis's
   * "CONFIG SET failed (…) - %s". Not "… - Proxy server cannot …", a sentence, nor SQLAlchemy's "…
   * on relationship X - there are no foreign keys linking these tables …", the format's own
   * explanation.
   */
  private static boolean isLoneDashBeforeCause(String s, int[] bounds, int n, int t) {
    return t + 2 < n
        && bounds[2 * t + 3] - bounds[2 * t + 2] == 1
        && s.charAt(bounds[2 * t + 2]) == '-'
        && n - (t + 2) <= MAX_DASH_CAUSE_WORDS
        && !isTitleWord(s, bounds[2 * t + 4], bounds[2 * t + 5]);
  }

  /** Token {@code t} and the next are "due to". */
  private static boolean isDueTo(String s, int[] bounds, int n, int t) {
    int b = bounds[2 * t];
    return t + 2 < n
        && bounds[2 * t + 1] - b == 3
        && s.regionMatches(true, b, "due", 0, 3)
        && bounds[2 * t + 3] - bounds[2 * t + 2] == 2
        && s.regionMatches(bounds[2 * t + 2], "to", 0, 2);
  }

  /** The cause from token {@code first} to the end of the line, or to a closing note. */
  private static void maskCauseFrom(String s, int[] bounds, int[] mask, int n, int first) {
    int last = n - 1;
    if (!Character.isLetter(s.charAt(bounds[2 * first]))) {
      return;
    }
    // A trailing "(…)" note that opens at a word and closes the line stays.
    if (s.charAt(bounds[2 * last + 1] - 1) == ')') {
      for (int j = last; j > first; j--) {
        if (mask[2 * j] != DROP && s.charAt(bounds[2 * j]) == '(') {
          last = j - 1;
          break;
        }
      }
    }
    // The cause ends with its clause: "due to pool invalidation; recycling".
    for (int j = first; j < last; j++) {
      if (mask[2 * j] != DROP && s.charAt(bounds[2 * j + 1] - 1) == ';') {
        last = j;
        break;
      }
    }
    int from = bounds[2 * first];
    int core = bounds[2 * last + 1];
    while (core > from && ".,;".indexOf(s.charAt(core - 1)) >= 0) {
      core--;
    }
    maskRange(s, bounds, mask, first, last, from, core);
  }

  /** "(connection refused)" opening at token {@code first}: its content, when it is words. */
  private static void maskParenthesised(String s, int[] bounds, int[] mask, int n, int first) {
    int from = bounds[2 * first] + 1;
    if (from >= bounds[2 * first + 1] || !Character.isLetter(s.charAt(from))) {
      return;
    }
    for (int k = first; k < n && k < first + MAX_CAUSE_WORDS; k++) {
      int ks = k == first ? from : bounds[2 * k];
      for (int i = ks; i < bounds[2 * k + 1]; i++) {
        if (isQuote(s.charAt(i))) {
          return; // "(reading 'id')": a note of the format's own that quotes a value
        }
      }
      int close = indexOf(s, ')', ks, bounds[2 * k + 1]);
      if (close >= 0) {
        maskRange(s, bounds, mask, first, k, from, close);
        return;
      }
    }
  }

  /** The most words a cause after a lone dash may have: an error, not an explanation. */
  private static final int MAX_DASH_CAUSE_WORDS = 6;

  /** The most words a parenthesised cause may have. */
  private static final int MAX_CAUSE_WORDS = 12;

  /**
   * Masks {@code [from, to)} as one value spanning tokens {@code first} to {@code last}, unless it
   * starts with an exception or class name.
   */
  private static void maskRange(
      String s, int[] bounds, int[] mask, int first, int last, int from, int to) {
    int codeEnd = Math.min(bounds[2 * first + 1], to);
    while (codeEnd > from && !Character.isLetterOrDigit(s.charAt(codeEnd - 1))) {
      codeEnd--;
    }
    int paren = indexOf(s, '(', from, codeEnd);
    if (to <= from || isCodeName(s, from, paren > from ? paren : codeEnd)) {
      return;
    }
    mask[2 * first] = from;
    mask[2 * first + 1] = to;
    for (int d = first + 1; d <= last; d++) {
      mask[2 * d] = DROP;
    }
    bounds[2 * first + 1] = bounds[2 * last + 1];
  }

  /** Words by which a head says that something failed: fail, error, unable, could not, denied. */
  private static final String[] FAILURE_STEMS = {
    "fail",
    "error",
    "unable",
    "cannot",
    "can't",
    "couldn't",
    "not",
    "invalid",
    "abort",
    "refus",
    "denied",
    "exception",
    "panic",
    "timeout",
    "timed",
    "incompatib",
    "unexpected",
    "missing",
    "conflict",
    "unknown"
  };

  /** {@link #FAILURE_STEMS} by their first letter, to turn most words away at once. */
  private static final String[][] STEMS_BY_INITIAL =
      Templater.byInitial(java.util.List.of(FAILURE_STEMS));

  private static boolean isFailureWord(String s, int from, int to) {
    int initial = (s.charAt(from) | 0x20) - 'a';
    if (initial < 0 || initial >= 26 || STEMS_BY_INITIAL[initial] == null) {
      return false;
    }
    for (String stem : STEMS_BY_INITIAL[initial]) {
      if (to - from >= stem.length() && s.regionMatches(true, from, stem, 0, stem.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A word of prose: letters, or letters with an apostrophe inside (a trailing comma allowed), at
   * least one of them lower-case.
   */
  private static boolean isProseWord(String s, int from, int to) {
    if (to > from && s.charAt(to - 1) == ',') {
      to--;
    }
    boolean lower = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        lower = true;
      } else if (c >= 'A' && c <= 'Z') {
        continue; // ASCII first: most words are
      } else if (!Character.isLetter(c) && !(c == '\'' && i > from && i < to - 1)) {
        return false; // letters, and an apostrophe inside: can't, doesn't
      } else {
        lower |= Character.isLowerCase(c);
      }
    }
    return lower;
  }
}
