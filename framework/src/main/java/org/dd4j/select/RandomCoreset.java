package org.dd4j.select;

import java.util.SplittableRandom;

/**
 * k rows drawn uniformly without replacement: the first k of a partial Fisher-Yates
 * permutation of 0..n-1, exactly the draws of {@code SyntheticSet.initReal} (MTT's random
 * real baseline), so the same seed gives the same images. Ignores the embeddings.
 */
record RandomCoreset() implements Coreset {

  @Override
  public String id() {
    return "random";
  }

  @Override
  public boolean usesEmbeddings() {
    return false;
  }

  @Override
  public int[] select(float[][] embeddings, int k, SplittableRandom rng) {
    Embeddings.check(embeddings, k);
    int[] idx = new int[embeddings.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    int[] out = new int[k];
    for (int j = 0; j < k; j++) { // the same swaps as SyntheticSet.initReal
      int r = j + rng.nextInt(idx.length - j);
      int tmp = idx[j];
      idx[j] = idx[r];
      idx[r] = tmp;
      out[j] = idx[j];
    }
    return out;
  }
}
