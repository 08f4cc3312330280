package dev.loggardener.logentry;

/** What parsing one input gives: an entry, or a dead letter. Never an exception. */
public sealed interface ParseResult {

  record Parsed(LogEntry entry) implements ParseResult {}

  record Dead(DeadLetter deadLetter) implements ParseResult {}
}
