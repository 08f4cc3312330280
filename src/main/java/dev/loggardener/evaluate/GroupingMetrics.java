package dev.loggardener.evaluate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Loghub benchmark's metrics, as {@code ../shared/loghub2k/README.md} defines them. Rows with
 * an empty ground-truth label are dropped before anything is counted.
 *
 * <ul>
 *   <li>GA: a line is correct iff the lines sharing its predicted label are exactly the lines
 *       sharing its true label; GA = correct lines / N.
 *   <li>FGA: a true group is correct as above; PGA = correct groups / predicted labels, RGA =
 *       correct groups / true labels, FGA = their harmonic mean (0 if both are 0).
 *   <li>PA: share of lines whose predicted template equals the true template exactly.
 * </ul>
 */
public record GroupingMetrics(
    double ga, double fga, double pa, int lines, int predictedGroups, int trueGroups) {

  /** One line: its true template, the predicted cluster label, and the predicted template. */
  public record Labelled(String truth, String predictedLabel, String predictedTemplate) {}

  public static GroupingMetrics of(List<Labelled> rows) {
    Map<String, Set<Integer>> byTruth = new HashMap<>();
    Map<String, Set<Integer>> byPredicted = new HashMap<>();
    int n = 0;
    int exact = 0;
    for (Labelled r : rows) {
      if (r.truth() == null || r.truth().isEmpty()) {
        continue;
      }
      byTruth.computeIfAbsent(r.truth(), k -> new HashSet<>()).add(n);
      byPredicted.computeIfAbsent(r.predictedLabel(), k -> new HashSet<>()).add(n);
      if (r.truth().equals(r.predictedTemplate())) {
        exact++;
      }
      n++;
    }
    if (n == 0) {
      return new GroupingMetrics(0, 0, 0, 0, 0, 0);
    }
    // Labels of each line, in the order the lines were counted.
    String[] predictedOf = new String[n];
    byPredicted.forEach((label, idx) -> idx.forEach(i -> predictedOf[i] = label));
    int correctLines = 0;
    int correctGroups = 0;
    for (Set<Integer> group : byTruth.values()) {
      String label = predictedOf[group.iterator().next()];
      if (byPredicted.get(label).equals(group)) {
        correctLines += group.size();
        correctGroups++;
      }
    }
    double pga = (double) correctGroups / byPredicted.size();
    double rga = (double) correctGroups / byTruth.size();
    double fga = pga + rga == 0 ? 0 : 2 * pga * rga / (pga + rga);
    return new GroupingMetrics(
        (double) correctLines / n, fga, (double) exact / n, n, byPredicted.size(), byTruth.size());
  }
}
