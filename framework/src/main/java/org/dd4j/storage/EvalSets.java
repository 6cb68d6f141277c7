package org.dd4j.storage;

/**
 * The sets an evaluation row can be of, as eval.jsonl, {@code --results} files and the tables
 * name them: a stable id for tools (the {@code set} field of eval.jsonl) and the name a
 * person reads. A coreset baseline other than random real images is named by its coreset
 * ("herding", "k-center", ...).
 */
public final class EvalSets {

  /** The distilled set's id. */
  public static final String DISTILLED = "distilled";
  /** The id of the distilled images' moving average (FTD's EMA). */
  public static final String DISTILLED_EMA = "distilled_ema";
  /** The id of the random real images of the same ipc (the baseline). */
  public static final String RANDOM_REAL = "random_real";

  private EvalSets() {}

  /** "distilled", "distilled EMA", "random real"; any other id (a coreset) as it is. */
  public static String name(String id) {
    return switch (id) {
      case DISTILLED -> "distilled";
      case DISTILLED_EMA -> "distilled EMA";
      case RANDOM_REAL -> "random real";
      default -> id;
    };
  }

  /** "random real (seed 3)": the random baseline's name with the seed of its draw. */
  public static String randomRealName(long seed) {
    return name(RANDOM_REAL) + " (seed " + seed + ")";
  }
}
