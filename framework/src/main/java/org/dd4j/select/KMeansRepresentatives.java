package org.dd4j.select;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;

/**
 * AST's representative selection on plain embeddings: K-Means (k-means++ seeding, Lloyd
 * iterations, Euclidean) into {@code clusters} clusters, then the {@code perCluster} real rows
 * nearest each centre. Rows are distinct: centre by centre (in the clusterer's order), each
 * takes its nearest rows not already taken, so when two centres share a nearest row the later
 * one takes its next nearest unused row. With one cluster the centre is the mean, so the
 * pick is the row nearest the mean.
 *
 * <p>References: AST (Shen et al., "Awesome Smooth Trajectories", 2023), section IV-C1;
 * Arthur &amp; Vassilvitskii, k-means++, SODA 2007. Clustering by Apache Commons Math 3
 * {@link KMeansPlusPlusClusterer}.
 */
public final class KMeansRepresentatives {

  /** Lloyd iterations at most (scikit-learn's default is 300). */
  public static final int MAX_ITERATIONS = 300;

  private KMeansRepresentatives() {}

  /**
   * @param embeddings one class, shape [n, F], float32
   * @param clusters K-Means clusters, >= 1
   * @param perCluster rows taken near each centre, >= 1; clusters * perCluster <= n
   * @param seed seeds k-means++ (a Well19937c generator)
   * @return clusters * perCluster distinct row indices, centre by centre
   * @throws IllegalArgumentException for counts out of range
   */
  public static int[] select(float[][] embeddings, int clusters, int perCluster, long seed) {
    checkArgument(clusters >= 1, "clusters must be >= 1, got %s", clusters);
    checkArgument(perCluster >= 1, "perCluster must be >= 1, got %s", perCluster);
    int k = clusters * perCluster;
    Embeddings.check(embeddings, k);
    List<DoublePoint> points = new ArrayList<>(embeddings.length);
    for (float[] row : embeddings) {
      double[] p = new double[row.length];
      for (int j = 0; j < p.length; j++) {
        p[j] = row[j];
      }
      points.add(new DoublePoint(p));
    }
    KMeansPlusPlusClusterer<DoublePoint> km = new KMeansPlusPlusClusterer<>(clusters,
        MAX_ITERATIONS, new EuclideanDistance(), new Well19937c(seed));
    List<CentroidCluster<DoublePoint>> result = km.cluster(points);
    double[][] centres = new double[result.size()][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = result.get(c).getCenter().getPoint();
    }
    return nearestDistinct(embeddings, centres, perCluster);
  }

  /**
   * Centre by centre, the {@code perCentre} rows nearest it that no earlier pick took (ties:
   * the lowest index).
   *
   * @param embeddings shape [n, F]
   * @param centres shape [m, F]; m * perCentre <= n
   * @return m * perCentre distinct row indices, centre by centre
   */
  static int[] nearestDistinct(float[][] embeddings, double[][] centres, int perCentre) {
    boolean[] taken = new boolean[embeddings.length];
    int[] out = new int[centres.length * perCentre];
    int o = 0;
    for (double[] centre : centres) {
      for (int m = 0; m < perCentre; m++) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < embeddings.length; i++) {
          if (!taken[i]) {
            double d = Embeddings.dist2(embeddings[i], centre);
            if (d < bestD) {
              bestD = d;
              best = i;
            }
          }
        }
        taken[best] = true;
        out[o++] = best;
      }
    }
    return out;
  }
}
