package dev.loggardener.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupingMetricsTest {
  private static final double EPS = 1e-12;

  /** Rows from parallel arrays: true template, predicted label, predicted template. */
  private static GroupingMetrics of(String[] truth, String[] predicted, String[] templates) {
    List<GroupingMetrics.Labelled> rows = new ArrayList<>();
    for (int i = 0; i < truth.length; i++) {
      rows.add(new GroupingMetrics.Labelled(truth[i], predicted[i], templates[i]));
    }
    return GroupingMetrics.of(rows);
  }

  private static final String[] TRUTH = {"A <*>", "A <*>", "B", "B", "C <*>"};

  @Test
  void perfectGrouping() {
    GroupingMetrics m =
        of(
            TRUTH,
            new String[] {"1", "1", "2", "2", "3"},
            new String[] {"A <*>", "A <*>", "B", "B", "C <*>"});
    assertEquals(1.0, m.ga(), EPS);
    assertEquals(1.0, m.fga(), EPS);
    assertEquals(1.0, m.pa(), EPS);
    assertEquals(3, m.predictedGroups());
    assertEquals(3, m.trueGroups());
  }

  @Test
  void everythingMerged() {
    GroupingMetrics m =
        of(
            TRUTH,
            new String[] {"x", "x", "x", "x", "x"},
            new String[] {"<*>", "<*>", "<*>", "<*>", "<*>"});
    assertEquals(0.0, m.ga(), EPS);
    assertEquals(0.0, m.fga(), EPS, "no group is correct: PGA = RGA = 0");
    assertEquals(0.0, m.pa(), EPS);
  }

  @Test
  void everythingSplit() {
    GroupingMetrics m =
        of(
            TRUTH,
            new String[] {"1", "2", "3", "4", "5"},
            new String[] {"A 1", "A 2", "B", "B", "C 9"});
    // Only the singleton truth group C is correct: 1 line of 5.
    assertEquals(0.2, m.ga(), EPS);
    double pga = 1.0 / 5;
    double rga = 1.0 / 3;
    assertEquals(2 * pga * rga / (pga + rga), m.fga(), EPS);
    assertEquals(0.4, m.pa(), EPS, "the two B lines match their template exactly");
  }

  @Test
  void partialGrouping() {
    // A is split in two, B and C merged into one predicted group: nothing is correct but...
    GroupingMetrics m =
        of(
            new String[] {"A", "A", "A", "B", "B", "C", "D"},
            new String[] {"1", "1", "2", "3", "3", "3", "4"},
            new String[] {"A", "A", "A", "B", "B", "B", "D"});
    // ...D: 1 line of 7; groups: D only.
    assertEquals(1.0 / 7, m.ga(), EPS);
    double pga = 1.0 / 4;
    double rga = 1.0 / 4;
    assertEquals(0.25, m.fga(), EPS);
    assertEquals(2 * pga * rga / (pga + rga), m.fga(), EPS);
    assertEquals(6.0 / 7, m.pa(), EPS);
  }

  @Test
  void rowsWithEmptyTruthAreDropped() {
    GroupingMetrics m =
        of(new String[] {"A", "", "A"}, new String[] {"1", "1", "1"}, new String[] {"A", "A", "A"});
    assertEquals(2, m.lines());
    assertEquals(1.0, m.ga(), EPS, "the dropped row does not count against the group");
  }
}
