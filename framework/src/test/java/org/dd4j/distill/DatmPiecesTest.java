package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.dd4j.data.Dataset;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.Model;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATM's other pieces: correct-only initialisation, the loss threshold (a skip that does not
 * count as a failure), the growing window in the sampler, soft labels in the Arrow file.
 */
class DatmPiecesTest {

  @TempDir
  static Path dir;
  static Dataset data;
  static BufferDirectory buffer;

  @BeforeAll
  static void trainBuffer() {
    data = DistillerTest.toyData();
    buffer = DistillerTest.toyBuffer(data, dir.resolve("buf"));
  }

  @Test
  void correctOnlyPicksImagesTheFirstExpertGetsRight() {
    Model model = new ConvNet(DistillerTest.SPEC);
    SyntheticInit init = SyntheticInitRegistry.create("correct-only", buffer.root());
    assertEquals("correct-only", init.id());
    SyntheticSet set = init.initialize(new SyntheticInit.Context(model, data.train(), 4, 3,
        0.1, new SplittableRandom(1)));
    float[][] logits = SoftLabelInit.logits(model, buffer, 0, set.toImageSet(),
        SessionOptions.threads(2));
    int correct = 0;
    for (int i = 0; i < set.count(); i++) {
      correct += SoftLabelInit.argmax(logits[i]) == set.labels()[i] ? 1 : 0;
    }
    // expert 0 of the toy buffer is accurate on the bands task: it alone fills every class
    assertEquals(set.count(), correct, "images expert 0 misclassifies");
    // distinct images, and reproducible from the seed
    Set<String> seen = new HashSet<>();
    float[] x = set.images();
    int size = set.shape().size();
    for (int i = 0; i < set.count(); i++) {
      assertTrue(seen.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(x, i * size,
          (i + 1) * size))), "image " + i + " repeated");
    }
    assertEquals(set, init.initialize(new SyntheticInit.Context(model, data.train(), 4, 3,
        0.1, new SplittableRandom(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SyntheticInitRegistry.create("correct-only", null).initialize(
            new SyntheticInit.Context(model, data.train(), 4, 3, 0.1, new SplittableRandom(1))));
    assertTrue(e.getMessage().contains("no buffer"), e.getMessage());
  }

  /**
   * A threshold below every loss: all iterations skipped, none counted as a failure, with the
   * full unroll and with the adjoint sweep (which stops before its backward pass).
   */
  @Test
  void lossThresholdSkipsWithoutStoppingTheRun() {
    Model model = new ConvNet(DistillerTest.SPEC);
    for (String unroll : List.of("full", "adjoint")) {
      DistillConfig config = DistillerTest.toy().iterations(12).maxConsecutiveFailures(3)
          .unroll(unroll).set(DistillConfig.LOSS_THRESHOLD, 1e-6).build();
      DistillerTest.Recorder rec = new DistillerTest.Recorder();
      try (Distiller d = new Distiller(model, config, SessionOptions.threads(2))) {
        DistillState start = d.start(d.initialSet(data));
        DistillState end = d.run(buffer, start, List.of(rec));
        assertEquals(12, rec.skipped.size(), unroll);
        assertTrue(rec.iterations.isEmpty(), unroll);
        assertTrue(rec.skipped.get(0).reason().contains("above loss_threshold"),
            rec.skipped.get(0).reason());
        assertEquals(0, rec.skipped.get(11).consecutive(), unroll);
        assertArrayEquals(start.set().images(), end.set().images(), 0f);
        assertEquals(12, end.nextIteration());
      }
    }
    // the adjoint sweep above the threshold: the loss, and no gradients computed
    DistillConfig adjoint = DistillerTest.toy().set(DistillConfig.LOSS_THRESHOLD, 1e-6).build();
    try (Distiller d = new Distiller(model, adjoint, SessionOptions.threads(2));
        AdjointUnroll a = AdjointUnroll.float32(model, adjoint, SessionOptions.threads(2))) {
      SyntheticSet set = d.initialSet(data);
      SegmentSampler.Segment seg = new SegmentSampler(buffer, model, adjoint)
          .sample(new SplittableRandom(3), 0);
      MatchingGraph.Gradients g = a.run(set.images(), null, set.synLr(), seg.params(), 1,
          a.draw(new SplittableRandom(4)));
      assertTrue(g.loss() > 1e-6 && g.imageGrad().length == 0 && Float.isNaN(g.lrGrad()),
          "loss " + g.loss());
    }
    DistillerTest.Recorder high = new DistillerTest.Recorder();
    try (Distiller d = new Distiller(model, DistillerTest.toy().iterations(3)
        .set(DistillConfig.LOSS_THRESHOLD, 1e6).build(), SessionOptions.threads(2))) {
      d.run(buffer, d.start(d.initialSet(data)), List.of(high));
    }
    assertEquals(3, high.iterations.size(), "skipped " + high.skipped);
  }

  @Test
  void growingWindowBoundsTheSampledStartEpochs() {
    DistillConfig config = DistillerTest.toy().maxStartEpoch(3)
        .set(DistillConfig.CURRENT_MAX_START_EPOCH, 1)
        .set(DistillConfig.EXPANSION_END, 10).build();
    SegmentSampler s = new SegmentSampler(buffer, new ConvNet(DistillerTest.SPEC), config);
    for (int seed = 0; seed < 20; seed++) {
      assertEquals(0, s.sample(new SplittableRandom(seed), 4).startEpoch()); // [0, 1)
    }
    Set<Integer> late = new HashSet<>();
    for (int seed = 0; seed < 40; seed++) {
      late.add(s.sample(new SplittableRandom(seed), 10).startEpoch());
    }
    assertEquals(Set.of(0, 1, 2), late);
    assertThrows(IllegalArgumentException.class, () -> DistillerTest.toy()
        .set(DistillConfig.CURRENT_MAX_START_EPOCH, 1).build()); // no expansion_end
  }

  @Test
  void softLabelsRoundTripThroughTheArrowFile() {
    float[] images = new float[8 * 64];
    float[] y = SoftLabelsTest.labelLogits(8, 4, 2);
    SyntheticSet soft = new SyntheticSet(images, SyntheticSet.classMajorLabels(4, 2),
        DistillerTest.SPEC.input(), 4, 2, 0.02, y);
    Path file = dir.resolve("soft.arrow");
    SyntheticSetFile.write(file, soft, 5, Map.of(), Map.of());
    SyntheticSet back = SyntheticSetFile.read(file).set();
    assertEquals(soft, back);
    assertArrayEquals(y, back.labelLogits(), 0f);
    Path hardFile = dir.resolve("hard.arrow");
    SyntheticSetFile.write(hardFile, soft.hardLabelsOnly(), 5, Map.of(), Map.of());
    assertNull(SyntheticSetFile.read(hardFile).set().labelLogits());
  }
}
