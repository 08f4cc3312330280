package dev.loggardener.logentry;

/** Where an entry's message came from. */
public enum PayloadKind {
  JSON,
  TEXT,
  PROTO,
  /** A request log with no message of its own: it is described by its httpRequest. */
  HTTP_REQUEST,
  /** No payload text at all. Still an entry: it forms its own cluster per service and logger. */
  EMPTY
}
