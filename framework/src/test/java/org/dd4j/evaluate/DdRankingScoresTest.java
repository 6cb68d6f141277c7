package org.dd4j.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The score formulas on known numbers. Expected values are DD-Ranking's own expressions
 * (ddranking/metrics/soft_label.py: {@code hlr = full - syn_hard}, {@code ior = syn_soft -
 * rdm_soft}, {@code alpha = lrs_lambda * ior - (1 - lrs_lambda) * hlr}, {@code lrs =
 * (np.exp(alpha) - np.exp(-1)) / (np.exp(1) - np.exp(-1))}; aug_robust.py likewise for ARS)
 * evaluated by numpy on the accuracies below, as fractions.
 */
class DdRankingScoresTest {

  @Test
  void normalisationEndsAndMiddle() {
    assertEquals(0.0, DdRankingScores.normalise(-1), 1e-15);
    assertEquals(1.0, DdRankingScores.normalise(1), 1e-15);
    assertEquals(0.26894142136999516, DdRankingScores.normalise(0), 1e-15); // numpy
  }

  @Test
  void lrsAndArsOfOneRound() {
    // full data 84.5 %, syn hard 63.0 %, syn (soft) 66.8 %, random (soft) 44.0 %,
    // without DSA: syn 55.0 %, random 30.0 %
    double hlr = DdRankingScores.hlr(0.845, 0.63);
    double ior = DdRankingScores.ior(0.668, 0.44);
    assertEquals(0.21499999999999997, hlr, 1e-15);
    assertEquals(0.22800000000000004, ior, 1e-15);
    assertEquals(0.27171591261480416, DdRankingScores.lrs(hlr, ior, 0.5), 1e-12); // numpy
    assertEquals(0.3838062368773498,
        DdRankingScores.ars(0.668, 0.44, 0.55, 0.30, 0.5), 1e-12); // numpy
    // w = 1: IOR alone; w = 0: -HLR alone
    assertEquals(DdRankingScores.normalise(ior), DdRankingScores.lrs(hlr, ior, 1), 1e-15);
    assertEquals(DdRankingScores.normalise(-hlr), DdRankingScores.lrs(hlr, ior, 0), 1e-15);
  }

  @Test
  void roundsAreScoredOneByOneThenAveraged() {
    var s = DdRankingScores.Summary.of(0.845, List.of(
        new DdRankingScores.Round(0.63, 0.668, 0.44, 0.55, 0.30),
        new DdRankingScores.Round(0.61, 0.660, 0.46, 0.53, 0.32)), 0.5, 0.5);
    assertEquals((0.215 + 0.235) / 2, DdRankingScores.Summary.mean(s.hlr()), 1e-12);
    assertEquals(0.01, DdRankingScores.Summary.std(s.hlr()), 1e-12);
    // the mean of the per-round LRS, not the LRS of the means (e^x is not linear)
    double lrs2 = DdRankingScores.normalise(0.5 * 0.2 - 0.5 * 0.235);
    assertEquals((0.27171591261480416 + lrs2) / 2, DdRankingScores.Summary.mean(s.lrs()),
        1e-12);
  }

  @Test
  void percentagesAreRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> DdRankingScores.hlr(84.5, 63.0));
    assertEquals("an accuracy must be a fraction in [0, 1], got 84.5", e.getMessage());
  }
}
