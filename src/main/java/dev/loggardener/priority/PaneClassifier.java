package dev.loggardener.priority;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterRow;

/**
 * Turns a pane's facts into a table row: the rules give priority and category from the most severe
 * entry and the pane's count. Plain Java, so that what sits between counting and classifying (a
 * fingerprint's history, its baseline) is an argument, not a Beam context.
 */
public final class PaneClassifier {
  private final Rules rules;

  public PaneClassifier(Rules rules) {
    this.rules = rules;
  }

  public ClusterRow classify(ClusterPane pane) {
    Classification c =
        rules.classify(
            new RuleInput(
                pane.service(),
                pane.module(),
                pane.function(),
                pane.message(),
                pane.template(),
                pane.severity(),
                pane.httpStatus()),
            pane.entryCount());
    return ClusterRow.of(pane, c.priority().name(), c.category().label(), c.rule());
  }
}
