package org.dd4j.evaluate;

import org.dd4j.settings.Settings;

/**
 * Which robustness scores the evaluation adds, from {@link EvalConfig#SCHEMA}'s settings.
 *
 * @param scores {@link EvalConfig#NO_SCORES} or {@link EvalConfig#DD_RANKING}
 * @param lrsWeight w of LRS (DD-Ranking's lrs_lambda, 0.5)
 * @param arsWeight gamma of ARS (DD-Ranking's ars_lambda, 0.5)
 * @param lrSearch train the sets DD-Ranking tunes at each lr of {@link #LR_GRID}, best kept
 * @param fullDataAccuracy Acc(real, hard) as a fraction, or 0 to read it from the cache
 * @param measureFullData measure (and cache) the full-data accuracy when it is not cached
 */
public record ScoreConfig(String scores, double lrsWeight, double arsWeight, boolean lrSearch,
    double fullDataAccuracy, boolean measureFullData) {

  /** DD-Ranking's learning rates ({@code _hyper_param_search_for_*_label}'s lr_list). */
  public static final double[] LR_GRID = {0.001, 0.005, 0.01, 0.05, 0.1};

  /** The scores of {@code s}'s {@link EvalConfig#SCHEMA} values. */
  public static ScoreConfig from(Settings s) {
    return new ScoreConfig(s.get(EvalConfig.SCORES), s.get(EvalConfig.LRS_WEIGHT),
        s.get(EvalConfig.ARS_WEIGHT), s.get(EvalConfig.LR_SEARCH),
        s.get(EvalConfig.FULL_DATA_ACCURACY), s.get(EvalConfig.FULL_DATA));
  }

  /** No scores (the defaults). */
  public static ScoreConfig none() {
    return from(Settings.builder(EvalConfig.SCHEMA).build());
  }

  /** Whether DD-Ranking's scores are asked for. */
  public boolean ddRanking() {
    return scores.equals(EvalConfig.DD_RANKING);
  }
}
