package dev.loggardener.github;

/**
 * What the sync did for one cluster row: the closed set of {@code github_sync.action}, shared by
 * the sync that decides, the table that records and the report that reads.
 */
public enum Action {
  /** Nothing written: no token, or --githubDryRun. */
  DRY_RUN("dry-run", false),
  CREATED("created", true),
  COMMENTED("commented", true),
  ESCALATED("escalated", true),
  REOPENED("reopened", true),
  /** Closed: no entries for --quietHours, with --githubAutoClose. */
  RESOLVED("resolved", true),
  /** GitHub refused or failed; tried again later. */
  FAILED("failed", true),
  /** Rate limit or write budget; tried again later. */
  DEFERRED("deferred", true),
  SKIPPED_MUTED("skipped-muted", false),
  SKIPPED_COOLDOWN("skipped-cooldown", false),
  SKIPPED_DUPLICATE("skipped-duplicate", false),
  SKIPPED_CLOSED("skipped-closed", false);

  private final String code;
  private final boolean notable;

  Action(String code, boolean notable) {
    this.code = code;
    this.notable = notable;
  }

  /** The value in the table's {@code action} column. */
  public String code() {
    return code;
  }

  /** Whether the report lists it issue by issue: it changed an issue, or it needs a look. */
  public boolean notable() {
    return notable;
  }

  public boolean skipped() {
    return code.startsWith("skipped");
  }

  /** The action a table value names. */
  public static Action fromCode(String code) {
    for (Action a : values()) {
      if (a.code.equals(code)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown github_sync action '" + code + "'");
  }

  @Override
  public String toString() {
    return code;
  }
}
