package org.dd4j.select;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * AST's representative selection as a coreset rule: K-Means the class's embeddings and take
 * the real rows nearest the centres ({@link KMeansRepresentatives}), k-means++ seeded by one
 * {@code rng.nextLong()} per class. Registered as "k-means".
 *
 * <p>References: AST (Shen et al., 2023), section IV-C1.
 *
 * @param clustering how k images map to clusters
 */
public record KMeansCoreset(Clustering clustering) implements Coreset {

  /** How many clusters, and how many rows near each centre, for k images. */
  public enum Clustering {
    /** k clusters, the row nearest each centre (AST's paper; works at k = 1). */
    PER_IMAGE,
    /**
     * 10 clusters, the k / 10 rows nearest each centre (AST's code; the paper's choice at
     * ipc 50); k must be a positive multiple of 10.
     */
    TEN_CLUSTERS;

    /** "per-image" or "ten-clusters". */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException for another name */
    public static Clustering named(String name) {
      for (Clustering c : values()) {
        if (c.id().equals(name)) {
          return c;
        }
      }
      throw new IllegalArgumentException("clustering must be 'per-image' or 'ten-clusters',"
          + " got '" + name + "'");
    }

    /** Number of clusters for k images. */
    int clusters(int k) {
      if (this == PER_IMAGE) {
        return k;
      }
      checkArgument(k % 10 == 0, "clustering 'ten-clusters' needs ipc to be a multiple of 10,"
          + " got %s; use 'per-image'", k);
      return 10;
    }
  }

  public KMeansCoreset {
    checkNotNull(clustering, "clustering");
  }

  /** "k-means" (one cluster per image, the default), or "k-means(clustering=ten-clusters)". */
  @Override
  public String id() {
    return clustering == Clustering.PER_IMAGE ? "k-means"
        : "k-means(clustering=" + clustering.id() + ")";
  }

  @Override
  public boolean usesEmbeddings() {
    return true;
  }

  /** @throws IllegalArgumentException also for 'ten-clusters' with k not a multiple of 10 */
  @Override
  public int[] select(float[][] embeddings, int k, SplittableRandom rng) {
    int clusters = clustering.clusters(k);
    return KMeansRepresentatives.select(embeddings, clusters, k / clusters, rng.nextLong());
  }
}
