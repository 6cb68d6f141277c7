package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.ExpertEmbedder;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.synthetic.SyntheticSet;

/**
 * DATM's initial soft labels: label logits [n, C] for the initial synthetic images, read off
 * the buffer's experts at their final checkpoint ({@code Label_Model_Timestamp = -1}).
 *
 * <ul>
 *   <li>{@value #FIRST_EXPERT}: the first expert's logits, unfiltered (DATM with
 *       {@code pix_init real}: {@code Temp_net(image_syn, flat_param=buffer[0][-1])}; dd4j's
 *       first expert is the first complete one of the buffer, DATM's the first of a randomly
 *       chosen file).
 *   <li>{@value #CORRECT_EXPERTS}: per image, the mean of the logits of the experts whose
 *       argmax is the image's class (DATM with {@code pix_init samples_predicted_correctly}:
 *       {@code correct_logits.sum(0) / correct_predictions.sum(0)} over every expert of the
 *       expert files). An image no expert classifies correctly has no such mean (DATM divides
 *       by zero and gets NaN); dd4j refuses it with a clear error.
 * </ul>
 *
 * <p>References: Guo et al., "Towards Lossless Dataset Distillation via Difficulty-Aligned
 * Trajectory Matching", ICLR 2024, section 4.2; NUS-HPC-AI-Lab/DATM distill/DATM.py ("only
 * sum correct predicted logits").
 */
public final class SoftLabelInit {

  /** {@code label_init} value: the first expert's logits, unfiltered. */
  public static final String FIRST_EXPERT = "first-expert";

  /** {@code label_init} value: the mean logits of the experts that classify correctly. */
  public static final String CORRECT_EXPERTS = "correct-experts";

  private SoftLabelInit() {}

  /**
   * The initial label logits of {@code set}'s images for {@code mode}.
   *
   * @param experts the experts to read (the run's: the first max_experts complete ones)
   * @return label logits [n, C]
   * @throws IllegalArgumentException for an unknown mode, no expert, or (correct-experts) an
   *     image that no expert classifies correctly
   */
  public static float[] initialize(String mode, SyntheticSet set, Model model,
      BufferDirectory buffer, List<Integer> experts, SessionOptions session) {
    checkArgument(!experts.isEmpty(), "no expert to initialise the soft labels from");
    ImageSet images = set.toImageSet();
    switch (mode) {
      case FIRST_EXPERT:
        return flatten(logits(model, buffer, experts.get(0), images, session));
      case CORRECT_EXPERTS: {
        List<float[][]> all = new ArrayList<>();
        for (int e : experts) {
          all.add(logits(model, buffer, e, images, session));
        }
        return meanOverCorrect(all, set.labels(), set.numClasses());
      }
      default:
        throw new IllegalArgumentException("unknown label_init '" + mode + "': "
            + DistillConfig.HARD_LABELS + ", " + FIRST_EXPERT + " or " + CORRECT_EXPERTS);
    }
  }

  /** Expert {@code e}'s final-checkpoint logits of every image, [n][C]. */
  static float[][] logits(Model model, BufferDirectory buffer, int e, ImageSet images,
      SessionOptions session) {
    try (ExpertEmbedder embedder = new ExpertEmbedder(model,
        ExpertEmbedder.finalSnapshot(buffer, e), EmbeddingLayer.LOGITS,
        ExpertEmbedder.DEFAULT_BATCH, session)) {
      return embedder.embedAll(images);
    }
  }

  /**
   * DATM's masked mean: per image i, the mean of {@code logits.get(k)[i]} over the experts k
   * whose argmax (first maximum, as {@code torch.argmax}) equals {@code labels[i]}.
   *
   * @param logits one [n][C] array per expert
   * @param labels the images' classes, [n]
   * @return [n, C] row-major
   * @throws IllegalArgumentException if an image is classified correctly by no expert
   */
  static float[] meanOverCorrect(List<float[][]> logits, int[] labels, int numClasses) {
    int n = labels.length;
    float[] out = new float[n * numClasses];
    for (int i = 0; i < n; i++) {
      double[] sum = new double[numClasses];
      int correct = 0;
      for (float[][] expert : logits) {
        float[] row = expert[i];
        checkArgument(row.length == numClasses, "expected %s logits, got %s", numClasses,
            row.length);
        if (argmax(row) == labels[i]) {
          correct++;
          for (int c = 0; c < numClasses; c++) {
            sum[c] += row[c];
          }
        }
      }
      if (correct == 0) {
        throw new IllegalArgumentException(String.format("label_init %s: synthetic image %d"
                + " (class %d) is classified correctly by none of the %d experts, so it has no"
                + " mean of correct logits (DATM's code would divide by zero); start from"
                + " images the experts get right (image_init = correct-only) or use label_init"
                + " = %s", CORRECT_EXPERTS, i, labels[i], logits.size(), FIRST_EXPERT));
      }
      for (int c = 0; c < numClasses; c++) {
        out[i * numClasses + c] = (float) (sum[c] / correct);
      }
    }
    return out;
  }

  /** The index of the first largest value (as the evaluation's hard labels take it). */
  static int argmax(float[] row) {
    return SyntheticSet.argmax(row, row.length)[0];
  }

  private static float[] flatten(float[][] rows) {
    int c = rows.length == 0 ? 0 : rows[0].length;
    float[] out = new float[rows.length * c];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * c, c);
    }
    return out;
  }
}
