package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dd4j.models.ConvNet;
import org.dd4j.models.Model;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments of a buffer whose snapshot of expert e at epoch k is filled with 10 e + k: the
 * draws (expert, then start epoch, then the perturbation's) and the rows read.
 */
class SegmentSamplerTest {

  @TempDir
  static Path dir;
  static Model model;
  static BufferDirectory buffer;
  static int p;

  @BeforeAll
  static void writeBuffer() {
    model = new ConvNet(DistillerTest.SPEC);
    p = Math.toIntExact(model.layout().totalSize());
    TrajectoryMetadata meta = new TrajectoryMetadata(DistillerTest.SPEC, model.layout(),
        "bands", Map.of("kind", "none"), Map.of("name", "sgd"), List.of(), 1, 0, "test");
    buffer = BufferDirectory.create(dir.resolve("buf"), BufferManifest.of(meta, 2, 4));
    for (int e = 0; e < 2; e++) {
      try (TrajectoryWriter w = buffer.newExpertWriter(e, e)) {
        for (int k = 0; k <= 4; k++) {
          float[] snap = new float[p];
          Arrays.fill(snap, 10 * e + k);
          w.append(k, snap);
        }
        w.commit();
      }
    }
  }

  @Test
  void drawsTheExpertThenTheStartEpochAndReadsTrajTToTPlusM() {
    DistillConfig config = DistillerTest.toy().maxStartEpoch(3).expertEpochs(2).build();
    SegmentSampler sampler = new SegmentSampler(buffer, model, config);
    for (long seed = 0; seed < 20; seed++) {
      SplittableRandom expected = new SplittableRandom(seed);
      int expert = expected.nextInt(2);
      int t = SegmentSampler.minStartEpoch(config) + expected.nextInt(3);
      SegmentSampler.Segment s = sampler.sample(new SplittableRandom(seed));
      assertEquals(expert, s.expert());
      assertEquals(t, s.startEpoch());
      assertEquals(3 * p, s.params().length);
      for (int k = 0; k <= 2; k++) {
        float[] row = Arrays.copyOfRange(s.params(), k * p, (k + 1) * p);
        float[] want = new float[p];
        Arrays.fill(want, 10 * expert + t + k);
        assertArrayEquals(want, row, 0f, "seed " + seed + ", row " + k);
      }
    }
  }

  @Test
  void perturbsOnlyTheStartWithTheDrawsAfterTheStartEpoch() {
    StartPerturbation perturbation = FilterWisePerturbation.paper();
    DistillConfig config = DistillerTest.toy().startPerturbation(perturbation).build();
    SegmentSampler.Segment s = new SegmentSampler(buffer, model, config)
        .sample(new SplittableRandom(4));
    SplittableRandom expected = new SplittableRandom(4);
    expected.nextInt(2);
    expected.nextInt(2);
    float[] w0 = new float[p];
    Arrays.fill(w0, 10 * s.expert() + s.startEpoch());
    assertArrayEquals(perturbation.perturb(w0, model.layout(), expected),
        Arrays.copyOfRange(s.params(), 0, p), 0f);
    float[] target = new float[p];
    Arrays.fill(target, 10 * s.expert() + s.startEpoch() + 2);
    assertArrayEquals(target, Arrays.copyOfRange(s.params(), 2 * p, 3 * p), 0f);
  }

  @Test
  void rejectsABufferTooShortForTPlusAndM() {
    DistillConfig config = DistillerTest.toy().maxStartEpoch(3).expertEpochs(3).build();
    var e = assertThrows(IllegalArgumentException.class,
        () -> new SegmentSampler(buffer, model, config));
    assertTrue(e.getMessage().contains("need 5"), e.getMessage());
  }

  /** DATM's min_start_epoch: t is drawn from [T-, T+), every value of it, and no other. */
  @Test
  void drawsStartEpochsFromMinToMaxStartEpoch() {
    DistillConfig config = DistillerTest.toy().maxStartEpoch(3).expertEpochs(1)
        .set(DistillConfig.MIN_START_EPOCH, 1).build();
    SegmentSampler sampler = new SegmentSampler(buffer, model, config);
    java.util.Set<Integer> seen = new java.util.TreeSet<>();
    for (long seed = 0; seed < 200; seed++) {
      seen.add(sampler.sample(new SplittableRandom(seed)).startEpoch());
    }
    assertEquals(java.util.Set.of(1, 2), seen);
    DistillConfig empty = config.toBuilder().set(DistillConfig.MIN_START_EPOCH, 3).build();
    var e = assertThrows(IllegalArgumentException.class,
        () -> new SegmentSampler(buffer, model, empty));
    assertTrue(e.getMessage().contains("[3, 3)"), e.getMessage());
  }

  /** MTT's max_experts: only the first experts of the buffer are drawn. */
  @Test
  void maxExpertsKeepsTheFirstExperts() {
    DistillConfig config = DistillerTest.toy().maxStartEpoch(3).expertEpochs(1)
        .set(DistillConfig.MAX_EXPERTS, 1).build();
    SegmentSampler sampler = new SegmentSampler(buffer, model, config);
    java.util.Set<Integer> seen = new java.util.TreeSet<>();
    for (long seed = 0; seed < 50; seed++) {
      seen.add(sampler.sample(new SplittableRandom(seed)).expert());
    }
    assertEquals(java.util.Set.of(0), seen);
  }
}
