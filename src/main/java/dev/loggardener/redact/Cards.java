package dev.loggardener.redact;

/** Payment card numbers: an issuer's prefix and length, and a valid Luhn check digit. */
final class Cards {
  private Cards() {}

  static boolean isCardNumber(String candidate) {
    StringBuilder digits = new StringBuilder(19);
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      }
    }
    String d = digits.toString();
    return plausibleIssuer(d) && luhn(d);
  }

  /** Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay: the ranges a real card uses. */
  private static boolean plausibleIssuer(String d) {
    int n = d.length();
    if (n < 13 || n > 19) {
      return false;
    }
    int two = Integer.parseInt(d.substring(0, 2));
    int four = Integer.parseInt(d.substring(0, 4));
    if (d.charAt(0) == '4') {
      return n == 13 || n == 16 || n == 19;
    }
    if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) {
      return n == 16;
    }
    if (two == 34 || two == 37) {
      return n == 15;
    }
    if (two == 36 || two == 38 || (four >= 3000 && four <= 3059)) {
      return n == 14;
    }
    if (four == 6011 || two == 65 || (four >= 6440 && four <= 6499) || two == 62) {
      return n >= 16;
    }
    if (four >= 3528 && four <= 3589) {
      return n >= 16;
    }
    return false;
  }

  static boolean luhn(String d) {
    int sum = 0;
    boolean dbl = false;
    for (int i = d.length() - 1; i >= 0; i--) {
      int v = d.charAt(i) - '0';
      if (dbl) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }
}
