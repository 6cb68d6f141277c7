package org.dd4j.select;

import java.util.SplittableRandom;

/**
 * A rule choosing k real images of one class (a coreset baseline, spec section 6). Pure: the
 * choice depends only on the arguments, so a seeded {@code rng} makes it deterministic.
 * Registered by name in {@link CoresetRegistry}; {@link CoresetSelection} applies one to
 * every class of a training set.
 */
public interface Coreset {

  /** The registry name, e.g. "random", "herding", "k-center". */
  String id();

  /**
   * Whether {@link #select} reads the embeddings. When false, callers may pass rows of
   * length 0 (only their number matters) and need no trained expert.
   */
  boolean usesEmbeddings();

  /**
   * Chooses k distinct rows.
   *
   * @param embeddings one class's images embedded by a trained expert, shape [n, F], float32
   *     (F may be 0 when {@link #usesEmbeddings()} is false)
   * @param k how many to choose, in [1, n]
   * @param rng advanced by the rules that draw (random, k-center with a random start)
   * @return k distinct row indices in [0, n), in the order chosen
   * @throws IllegalArgumentException if k is not in [1, n] or rows differ in length
   */
  int[] select(float[][] embeddings, int k, SplittableRandom rng);

  /** Uniformly random rows: MTT's 'real' initialization and random-real baseline. */
  static Coreset random() {
    return new RandomCoreset();
  }

  /** Herding (Welling 2009): the running mean of the chosen rows tracks the class mean. */
  static Coreset herding() {
    return new Herding();
  }

  /** k-center greedy (Sener &amp; Savarese 2018), starting from the row nearest the mean. */
  static Coreset kCenter() {
    return new KCenterGreedy(KCenterGreedy.Start.NEAREST_MEAN);
  }

  /**
   * AST's representative selection (K-Means, the rows nearest the centres), registered as
   * "k-means" with {@link KMeansCoreset.Clustering#PER_IMAGE}.
   */
  static Coreset kMeans(KMeansCoreset.Clustering clustering) {
    return new KMeansCoreset(clustering);
  }

  /** k-center greedy with the given first pick. */
  static Coreset kCenter(KCenterGreedy.Start start) {
    return new KCenterGreedy(start);
  }
}
