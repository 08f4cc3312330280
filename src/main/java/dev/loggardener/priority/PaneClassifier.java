package dev.loggardener.priority;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.cluster.Signal;
import java.util.List;

/**
 * Turns a pane's facts and its fingerprint's history into a table row: the rules give priority and
 * category from the most severe entry and the pane's count, a spike raises the priority one level,
 * and the owner is the rule's, else the CODEOWNERS owner of the cluster's source file. Plain Java:
 * the history is an argument, not a Beam context.
 */
public final class PaneClassifier {
  private final Rules rules;
  private final CodeOwners codeOwners;

  /**
   * @param codeOwners the CODEOWNERS file, or null for none
   */
  public PaneClassifier(Rules rules, CodeOwners codeOwners) {
    this.rules = rules;
    this.codeOwners = codeOwners;
  }

  /** The rule's decision for a pane, before history: what its spike thresholds are. */
  public Classification rule(ClusterPane pane) {
    return rules.classify(
        new RuleInput(
            pane.service(),
            pane.module(),
            pane.function(),
            pane.message(),
            pane.template(),
            pane.severity(),
            pane.httpStatus()),
        pane.entryCount());
  }

  /** A pane with what its fingerprint's history says of it. */
  public ClusterRow classify(ClusterPane pane, Classification c, History.Verdict v) {
    Priority p = v.spike() ? c.priority().raise(1) : c.priority();
    return ClusterRow.of(
        pane,
        p.name(),
        c.category().label(),
        c.rule(),
        new Signal(
            Double.isNaN(v.baseline()) ? null : round(v.baseline()),
            Double.isNaN(v.spikeRatio()) ? null : round(v.spikeRatio()),
            v.spike(),
            v.isNew(),
            v.state().label(),
            owner(pane, c),
            v.windowsLastDay(),
            c.ignore()));
  }

  /** Three decimals: enough to read, and the same bytes from every worker. */
  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  String owner(ClusterPane pane, Classification c) {
    if (c.owner() != null) {
      return c.owner();
    }
    if (codeOwners == null) {
      return null;
    }
    for (String file : SourceFiles.of(pane)) {
      List<String> owners = codeOwners.ownersOf(file);
      if (!owners.isEmpty()) {
        return owners.get(0);
      }
    }
    return null;
  }
}
