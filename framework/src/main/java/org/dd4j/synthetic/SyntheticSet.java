package org.dd4j.synthetic;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.dd4j.data.ImageSet;
import org.dd4j.models.InputShape;

/**
 * The distilled dataset: {@code ipc} images per class with hard labels, plus MTT's learnable
 * student step size. Plain data (arrays copied in and out), so that a checkpoint or an Arrow
 * file can store it as is.
 *
 * <p>References: MTT (Cazenavette et al., CVPR 2022), Algorithm 1 (D_syn, alpha); spec
 * section 5.
 *
 * @param images shape [C * ipc, H, W, C_img] row-major, float32, in the preprocessed space of
 *     the buffer's data (e.g. normalized, or ZCA-whitened)
 * @param labels shape [C * ipc], class-major: ipc images of class 0, then of class 1, ...
 * @param shape H, W, C_img of one image
 * @param numClasses C
 * @param ipc images per class, > 0
 * @param synLr the learnable student learning rate alpha (syn_lr), > 0 and finite; the step
 *     size of the unrolled student's plain SGD on the network parameters
 * @param labelLogits learnable soft labels, shape [C * ipc, C] row-major float32 label
 *     logits (DATM: the targets are softmax(labelLogits / T)), finite; or null for hard
 *     labels only (MTT). Read with {@link #labelLogits()}.
 */
public record SyntheticSet(float[] images, int[] labels, InputShape shape, int numClasses,
    int ipc, double synLr, float[] labelLogits) {

  /** A set with hard labels only (no label logits). */
  public SyntheticSet(float[] images, int[] labels, InputShape shape, int numClasses, int ipc,
      double synLr) {
    this(images, labels, shape, numClasses, ipc, synLr, null);
  }

  public SyntheticSet {
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    checkNotNull(shape, "shape");
    checkArgument(numClasses > 0, "numClasses must be > 0, got %s", numClasses);
    checkArgument(ipc > 0, "ipc must be > 0, got %s", ipc);
    int n = numClasses * ipc;
    checkArgument(labels.length == n, "expected %s labels (C * ipc), got %s", n,
        labels.length);
    checkArgument(images.length == (long) n * shape.size(),
        "expected %s image values (%s x %s), got %s", (long) n * shape.size(), n, shape,
        images.length);
    for (int i = 0; i < n; i++) {
      checkArgument(labels[i] == i / ipc, "labels must be class-major (ipc per class):"
          + " label %s at index %s, expected %s", labels[i], i, i / ipc);
    }
    checkArgument(synLr > 0 && Double.isFinite(synLr), "synLr must be finite and > 0, got %s",
        synLr);
    if (labelLogits != null) {
      checkArgument(labelLogits.length == (long) n * numClasses, "expected %s label logits"
          + " (%s x %s), got %s", (long) n * numClasses, n, numClasses, labelLogits.length);
      for (int i = 0; i < labelLogits.length; i++) {
        checkArgument(Float.isFinite(labelLogits[i]), "label logit %s (image %s, class %s) is"
            + " %s", i, i / numClasses, i % numClasses, labelLogits[i]);
      }
      labelLogits = labelLogits.clone();
    }
    images = images.clone();
    labels = labels.clone();
  }

  /** The label logits [C * ipc, C] (a copy), or null for a set with hard labels only. */
  @Override
  public float[] labelLogits() {
    return labelLogits == null ? null : labelLogits.clone();
  }

  /** Whether the set carries learnable soft labels (label logits). */
  public boolean hasSoftLabels() {
    return labelLogits != null;
  }

  /** This set with other label logits [C * ipc, C] (null: hard labels only). */
  public SyntheticSet withLabelLogits(float[] newLabelLogits) {
    return new SyntheticSet(images, labels, shape, numClasses, ipc, synLr, newLabelLogits);
  }

  /** This set without its label logits: the hard labels only. */
  public SyntheticSet hardLabelsOnly() {
    return withLabelLogits(null);
  }

  @Override
  public float[] images() {
    return images.clone();
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** n = C * ipc, the number of synthetic images. */
  public int count() {
    return labels.length;
  }

  /** The images and labels as a training set, e.g. for {@code Evaluator} (pixels copied). */
  public ImageSet toImageSet() {
    return new ImageSet(images(), labels(), shape.height(), shape.width(), shape.channels());
  }

  /** This set with other images (same shape) and syn_lr, the label logits kept. */
  public SyntheticSet with(float[] newImages, double newSynLr) {
    return new SyntheticSet(newImages, labels, shape, numClasses, ipc, newSynLr, labelLogits);
  }

  /** {@link #with(float[], double)} with new label logits too (one copy of the set). */
  public SyntheticSet with(float[] newImages, double newSynLr, float[] newLabelLogits) {
    return new SyntheticSet(newImages, labels, shape, numClasses, ipc, newSynLr,
        newLabelLogits);
  }

  /** The class-major labels 0 x ipc, 1 x ipc, ... */
  public static int[] classMajorLabels(int numClasses, int ipc) {
    int[] y = new int[numClasses * ipc];
    for (int i = 0; i < y.length; i++) {
      y[i] = i / ipc;
    }
    return y;
  }

  /**
   * MTT's 'real' initialization: for each class, {@code ipc} distinct training images drawn
   * uniformly at random (a random permutation of the class's indices, the first ipc).
   *
   * @param train preprocessed training split (the space the synthetic images live in)
   * @param numClasses C; labels of {@code train} must lie in [0, C)
   * @param synLr initial syn_lr (MTT: lr_teacher)
   * @param rng advanced by the draws
   * @throws IllegalArgumentException if some class has fewer than ipc images
   */
  public static SyntheticSet initReal(ImageSet train, int numClasses, int ipc, double synLr,
      SplittableRandom rng) {
    List<List<Integer>> byClass = new ArrayList<>(numClasses);
    for (int c = 0; c < numClasses; c++) {
      byClass.add(new ArrayList<>());
    }
    int[] lab = train.labels();
    for (int i = 0; i < lab.length; i++) {
      checkArgument(lab[i] >= 0 && lab[i] < numClasses, "label %s of image %s is not in"
          + " [0, %s)", lab[i], i, numClasses);
      byClass.get(lab[i]).add(i);
    }
    int size = train.imageSize();
    float[] src = train.images();
    float[] out = new float[numClasses * ipc * size];
    for (int c = 0; c < numClasses; c++) {
      int[] idx = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
      checkArgument(idx.length >= ipc, "class %s has %s training images, fewer than ipc = %s",
          c, idx.length, ipc);
      for (int k = 0; k < ipc; k++) { // partial Fisher-Yates: the first ipc of a permutation
        int j = k + rng.nextInt(idx.length - k);
        int tmp = idx[k];
        idx[k] = idx[j];
        idx[j] = tmp;
        System.arraycopy(src, idx[k] * size, out, (c * ipc + k) * size, size);
      }
    }
    return new SyntheticSet(out, classMajorLabels(numClasses, ipc),
        new InputShape(train.height(), train.width(), train.channels()), numClasses, ipc,
        synLr);
  }

  /**
   * MTT's 'noise' initialization: every value N(0, 1).
   *
   * @param synLr initial syn_lr (MTT: lr_teacher)
   * @param rng advanced by the draws
   */
  public static SyntheticSet initNoise(InputShape shape, int numClasses, int ipc, double synLr,
      SplittableRandom rng) {
    float[] out = new float[numClasses * ipc * shape.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) gaussian(rng);
    }
    return new SyntheticSet(out, classMajorLabels(numClasses, ipc), shape, numClasses, ipc,
        synLr);
  }

  /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian in Java 17). */
  private static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyntheticSet s && Arrays.equals(images, s.images)
        && Arrays.equals(labels, s.labels) && shape.equals(s.shape)
        && numClasses == s.numClasses && ipc == s.ipc
        && Double.compare(synLr, s.synLr) == 0 && Arrays.equals(labelLogits, s.labelLogits);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(images) * 31 + Double.hashCode(synLr);
  }

  @Override
  public String toString() {
    return "SyntheticSet[" + count() + " x " + shape + ", ipc=" + ipc + ", synLr=" + synLr
        + (labelLogits == null ? "" : ", soft labels") + "]";
  }

  /**
   * The hard labels of label logits: per row the class of the largest logit (the first on a
   * tie, as numpy / torch argmax).
   *
   * @param labelLogits shape [n, classes] row-major
   * @return shape [n]
   */
  public static int[] argmax(float[] labelLogits, int classes) {
    checkArgument(classes > 0 && labelLogits.length % classes == 0,
        "%s label logits are not rows of %s classes", labelLogits.length, classes);
    int[] out = new int[labelLogits.length / classes];
    for (int i = 0; i < out.length; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (labelLogits[i * classes + c] > labelLogits[i * classes + best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }
}
