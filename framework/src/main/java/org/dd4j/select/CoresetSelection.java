package org.dd4j.select;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.dd4j.data.ImageSet;

/** Applies a per-class selection rule to every class of a labelled training set. */
public final class CoresetSelection {

  private CoresetSelection() {}

  /**
   * The indices of each class's images, in data order.
   *
   * @param labels shape [n], each in [0, numClasses)
   * @return numClasses arrays of row indices
   * @throws IllegalArgumentException for a label outside [0, numClasses)
   */
  public static int[][] indicesByClass(int[] labels, int numClasses) {
    int[] counts = new int[numClasses];
    for (int i = 0; i < labels.length; i++) {
      checkArgument(labels[i] >= 0 && labels[i] < numClasses,
          "label %s of image %s is not in [0, %s)", labels[i], i, numClasses);
      counts[labels[i]]++;
    }
    int[][] out = new int[numClasses][];
    for (int c = 0; c < numClasses; c++) {
      out[c] = new int[counts[c]];
    }
    int[] fill = new int[numClasses];
    for (int i = 0; i < labels.length; i++) {
      out[labels[i]][fill[labels[i]]++] = i;
    }
    return out;
  }

  /**
   * Chooses {@code ipc} images per class with {@code coreset}: class c's images are embedded
   * (when the rule reads embeddings), the rule picks rows, and those images are returned.
   * Classes are visited in order 0..C-1, all drawing from {@code rng}; with
   * {@link Coreset#random()} this picks exactly the images of
   * {@code SyntheticSet.initReal(train, C, ipc, ., rng)}.
   *
   * @param train preprocessed training images, labels in [0, numClasses)
   * @param embedder embeds images (its model's input preprocessed as {@code train}); may be
   *     null when {@code coreset.usesEmbeddings()} is false
   * @return indices into {@code train}, class-major: ipc images of class 0, then class 1, ...
   * @throws IllegalArgumentException if a class has fewer than ipc images, or the rule needs
   *     embeddings and {@code embedder} is null
   */
  public static int[] select(Coreset coreset, ImageSet train, int numClasses, int ipc,
      ExpertEmbedder embedder, SplittableRandom rng) {
    checkNotNull(coreset, "coreset");
    checkArgument(ipc > 0, "ipc must be > 0, got %s", ipc);
    checkArgument(!coreset.usesEmbeddings() || embedder != null,
        "coreset '%s' needs embeddings from a trained expert (e.g. --buffer DIR)",
        coreset.id());
    int[][] byClass = indicesByClass(train.labels(), numClasses);
    int[] out = new int[numClasses * ipc];
    for (int c = 0; c < numClasses; c++) {
      int[] idx = byClass[c];
      checkArgument(idx.length >= ipc, "class %s has %s training images, fewer than ipc = %s",
          c, idx.length, ipc);
      float[][] e = coreset.usesEmbeddings() ? embedder.embed(train, idx)
          : new float[idx.length][0];
      int[] rows = coreset.select(e, ipc, rng);
      checkDistinct(coreset.id(), rows, ipc, idx.length);
      for (int j = 0; j < ipc; j++) {
        out[c * ipc + j] = idx[rows[j]];
      }
    }
    return out;
  }

  /** A rule's answer must be ipc distinct rows in range; a user-registered one may not be. */
  static void checkDistinct(String id, int[] rows, int k, int n) {
    checkArgument(rows.length == k, "coreset '%s' returned %s rows, expected %s", id,
        rows.length, k);
    Set<Integer> seen = new HashSet<>();
    for (int r : rows) {
      checkArgument(r >= 0 && r < n && seen.add(r),
          "coreset '%s' returned an invalid or repeated row %s: %s", id, r,
          Arrays.toString(rows));
    }
  }
}
