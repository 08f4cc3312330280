package dev.loggardener.pipeline;

/** Test access to the source's bundle size. */
final class LogEntrySourceAccess {
  private LogEntrySourceAccess() {}

  static long minBundleBytes() {
    return LogEntrySource.MIN_BUNDLE_BYTES;
  }
}
