package org.dd4j.select;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-center greedy: after a first pick, repeatedly adds the row farthest (Euclidean, in
 * embedding space) from the chosen set, i.e. argmax_i min_{s chosen} ||e_i - e_s||; a
 * 2-approximation of the minimax facility location (k-center) problem. Ties go to the lowest
 * index; chosen rows are never picked again, even when duplicates leave every distance 0.
 * Cost O(k n F).
 *
 * <p>References: Sener &amp; Savarese, "Active Learning for Convolutional Neural Networks: A
 * Core-Set Approach", ICLR 2018, Algorithm 1; Gonzalez 1985.
 *
 * @param start how the first row is chosen
 */
public record KCenterGreedy(Start start) implements Coreset {

  /** The first pick, before the farthest-point steps. */
  public enum Start {
    /** The row nearest the class mean (deterministic; the default). */
    NEAREST_MEAN,
    /** A uniformly random row, drawn from the {@code rng} given to select. */
    RANDOM
  }

  public KCenterGreedy {
    checkNotNull(start, "start");
  }

  @Override
  public String id() {
    return "k-center";
  }

  @Override
  public boolean usesEmbeddings() {
    return true;
  }

  @Override
  public int[] select(float[][] e, int k, SplittableRandom rng) {
    Embeddings.check(e, k);
    int first = start == Start.NEAREST_MEAN ? Embeddings.nearest(e, Embeddings.mean(e))
        : rng.nextInt(e.length);
    double[] minDist = new double[e.length]; // squared distance to the chosen set
    Arrays.fill(minDist, Double.POSITIVE_INFINITY);
    boolean[] chosen = new boolean[e.length];
    int[] out = new int[k];
    int last = first;
    for (int t = 0; t < k; t++) {
      if (t > 0) {
        int best = -1;
        for (int i = 0; i < e.length; i++) {
          if (!chosen[i] && (best < 0 || minDist[i] > minDist[best])) {
            best = i;
          }
        }
        last = best;
      }
      chosen[last] = true;
      out[t] = last;
      for (int i = 0; i < e.length; i++) {
        minDist[i] = Math.min(minDist[i], Embeddings.dist2(e[i], e[last]));
      }
    }
    return out;
  }
}
