package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.select.CoresetSelection;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.ExpertEmbedder;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.synthetic.SyntheticSet;

/**
 * DATM's correct-only initialisation ({@code pix_init samples_predicted_correctly}): for
 * each class, ipc real training images that an expert's final checkpoint classifies
 * correctly. The class's images are visited in a random order (one permutation per class
 * from the run's initialization generator); the first expert's correct ones are taken in that
 * order, and when it has fewer than ipc the next expert adds its correct ones among the rest
 * (DATM keeps the indices found so far and moves to the next expert, {@code cur += 1}). The
 * chosen images keep their order in the permutation (DATM's {@code list(set(index))} of
 * small ints, ascending).
 *
 * <p>Differences from DATM's code: dd4j's experts are the buffer's complete experts in index
 * order, DATM's expert {@code cur} is {@code expert_files[cur // 10 % 10][cur % 10]}; DATM
 * scans in batches of 256 and can take a few more correct images of a batch before it stops,
 * dd4j stops at exactly ipc.
 *
 * <p>References: Guo et al., ICLR 2024, section 4.2; NUS-HPC-AI-Lab/DATM distill/DATM.py.
 *
 * @param buffer the run's buffer directory; null until {@link #forBuffer} binds it
 * @param session threads of the experts' forward passes
 */
public record CorrectOnlyInit(Path buffer, SessionOptions session) implements SyntheticInit {

  /** The registry name and {@link #id()}. */
  public static final String NAME = "correct-only";

  public CorrectOnlyInit {
    checkNotNull(session, "session");
  }

  @Override
  public String id() {
    return NAME;
  }

  @Override
  public SyntheticInit forBuffer(Path runBuffer, SessionOptions runSession) {
    return new CorrectOnlyInit(runBuffer, runSession);
  }

  /**
   * @throws IllegalArgumentException if no buffer is bound, or the experts together classify
   *     fewer than ipc images of some class correctly
   */
  @Override
  public SyntheticSet initialize(Context c) {
    checkArgument(buffer != null, "%s reads the experts of the run's buffer, but no buffer was"
        + " given; distil from a buffer (dd4j distill --buffer DIR, or a buffer { } phase)",
        id());
    BufferDirectory buf = BufferDirectory.open(buffer, c.model().spec());
    List<Integer> experts = buf.completeExperts();
    checkArgument(!experts.isEmpty(), "buffer %s has no complete expert", buffer);
    ImageSet train = c.train();
    int[][] byClass = CoresetSelection.indicesByClass(train.labels(), c.numClasses());
    int[] picked = new int[c.numClasses() * c.ipc()]; // class-major
    List<ExpertEmbedder> open = new ArrayList<>();
    try {
      for (int k = 0; k < c.numClasses(); k++) {
        int[] order = byClass[k]; // its own array: shuffled in place
        Permutations.shuffle(order, c.rng());
        boolean[] chosen = new boolean[order.length];
        int count = 0;
        for (int e = 0; e < experts.size() && count < c.ipc(); e++) {
          if (open.size() <= e) {
            open.add(new ExpertEmbedder(c.model(), ExpertEmbedder.finalSnapshot(buf,
                experts.get(e)), EmbeddingLayer.LOGITS, ExpertEmbedder.DEFAULT_BATCH,
                session));
          }
          float[][] logits = open.get(e).embed(train, order); // [len, C]
          for (int p = 0; p < order.length && count < c.ipc(); p++) {
            if (!chosen[p] && SoftLabelInit.argmax(logits[p]) == k) {
              chosen[p] = true;
              count++;
            }
          }
        }
        checkArgument(count == c.ipc(), "%s: the %s complete experts of %s classify only %s"
            + " of the %s training images of class %s correctly, fewer than ipc = %s; use"
            + " image_init real", id(), experts.size(), buffer, count, order.length, k, c.ipc());
        int j = k * c.ipc();
        for (int p = 0; p < order.length; p++) {
          if (chosen[p]) {
            picked[j++] = order[p];
          }
        }
      }
    } finally {
      open.forEach(ExpertEmbedder::close);
    }
    return new SyntheticSet(train.select(picked).images(),
        SyntheticSet.classMajorLabels(c.numClasses(), c.ipc()),
        new InputShape(train.height(), train.width(), train.channels()), c.numClasses(),
        c.ipc(), c.synLr());
  }
}
