package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dd4j.augment.Augmentation;
import org.dd4j.buffer.BufferConfig;
import org.dd4j.buffer.BufferPhase;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.data.ToyBands;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryWriter;
import org.dd4j.synthetic.SyntheticSet;
import org.dd4j.train.Training;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTT distillation end to end on a toy problem: 8x8x1 images where class c has a bright
 * c-th quarter row band, ConvNet-1 of width 4, two experts of 4 epochs.
 */
class DistillerTest {

  static final ModelSpec SPEC = ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4);

  @TempDir
  static Path dir;
  static Dataset data;
  static BufferDirectory buffer;

  static ImageSet bands(int n, long seed) {
    return ToyBands.bands(n, seed);
  }

  /** The toy task: 256 training and 64 test images of 4 band classes. */
  static Dataset toyData() {
    return new Dataset("bands", bands(256, 1), bands(64, 2), List.of("a", "b", "c", "d"));
  }

  /**
   * The distillation tests' buffer: two experts of {@link #SPEC} trained 4 epochs on
   * {@code data} (SGD lr 0.1, batch 64, no augmentation), in {@code dir}.
   */
  static BufferDirectory toyBuffer(Dataset data, Path dir) {
    var training = new Training(4, 64, 0.1, 1, new long[0], 0, 0, false);
    var config = new BufferConfig(SPEC, "bands", Map.of("kind", "none"), training, 2, 42);
    return new BufferPhase(config, Augmentation.none(), SessionOptions.threads(2))
        .run(data, dir, List.of());
  }

  @BeforeAll
  static void trainBuffer() {
    data = toyData();
    buffer = toyBuffer(data, dir.resolve("buf"));
  }

  static DistillConfig.Builder toy() {
    return DistillConfig.builder().ipc(2).synSteps(4).expertEpochs(2).maxStartEpoch(2)
        .iterations(20).lrImg(LR_IMG).lrLr(1e-5).lrTeacher(0.1)
        .dsaStrategy(DistillConfig.NO_DSA).seed(7);
  }

  static final double LR_IMG = 1;

  /** Records every event. */
  static final class Recorder implements DistillListener {
    final List<IterationResult> iterations = new ArrayList<>();
    final List<SkippedIteration> skipped = new ArrayList<>();

    @Override
    public void onIteration(IterationResult r) {
      iterations.add(r);
    }

    @Override
    public void onSkipped(SkippedIteration s) {
      skipped.add(s);
    }
  }

  static DistillState distill(DistillConfig config, BufferDirectory buf, Recorder rec) {
    Model model = new ConvNet(SPEC);
    try (Distiller d = new Distiller(model, config, SessionOptions.threads(2))) {
      SyntheticSet init = d.initialSet(data);
      return d.run(buf, d.start(init), List.of(rec));
    }
  }

  @Test
  void matchingLossDecreasesAndSynLrStaysPositive() {
    Recorder rec = new Recorder();
    DistillConfig config = toy().build();
    Model model = new ConvNet(SPEC);
    DistillState end;
    SyntheticSet init;
    try (Distiller d = new Distiller(model, config, SessionOptions.threads(2))) {
      init = d.initialSet(data);
      end = d.run(buffer, d.start(init), List.of(rec));
    }
    double[] losses = rec.iterations.stream().mapToDouble(IterationResult::loss).toArray();
    System.out.println("toy distillation losses " + Arrays.toString(losses));
    System.out.println("syn_lr " + rec.iterations.stream().mapToDouble(IterationResult::synLr)
        .boxed().toList());
    assertEquals(20, rec.iterations.size());
    assertTrue(rec.skipped.isEmpty(), "skipped " + rec.skipped);
    double first = Arrays.stream(losses, 0, 5).average().orElseThrow();
    double last = Arrays.stream(losses, 15, 20).average().orElseThrow();
    // measured (seed 7): first 5 average 0.104, last 5 0.050
    assertTrue(last < 0.75 * first, "mean loss of the last 5 " + last + " vs first 5 "
        + first);
    assertTrue(end.set().synLr() > 0);
    assertFalse(Arrays.equals(init.images(), end.set().images()), "images did not change");
    assertEquals(20, end.nextIteration());
    assertEquals(20, end.imageOptimizer().steps());
  }

  /** Same seed, same images; and a run resumed from its state continues exactly. */
  @Test
  void isDeterministicUnderASeedAndResumesExactly() {
    DistillConfig config = toy().iterations(4).dsaStrategy(
        org.dd4j.augment.DsaConfig.DEFAULT_STRATEGY).build();
    DistillState a = distill(config, buffer, new Recorder());
    DistillState b = distill(config, buffer, new Recorder());
    assertArrayEquals(a.set().images(), b.set().images(), 1e-5f);
    assertEquals(a.set().synLr(), b.set().synLr(), 1e-9);

    Model model = new ConvNet(SPEC);
    DistillState half;
    try (Distiller d = new Distiller(model, toy().iterations(2).dsaStrategy(
        org.dd4j.augment.DsaConfig.DEFAULT_STRATEGY).build(), SessionOptions.threads(2))) {
      half = d.run(buffer, d.start(d.initialSet(data)), List.of());
    }
    DistillState resumed;
    try (Distiller d = new Distiller(model, config, SessionOptions.threads(2))) {
      resumed = d.run(buffer, half, List.of());
    }
    assertArrayEquals(a.set().images(), resumed.set().images(), 1e-5f);
    assertEquals(a.imageOptimizer().steps(), resumed.imageOptimizer().steps());
  }

  /**
   * AST's pieces and FTD's EMA together on the toy: intermediate matching, balanced inner
   * loss, filter-wise start perturbation, inner momentum. The run is finite and
   * reproducible, the perturbation changes the losses (it is applied), and the EMA follows
   * ema <- d ema + (1 - d) images from the initial images.
   */
  @Test
  void astAndFtdOptionsRunReproduciblyAndTheEmaFollowsTheImages() {
    DistillConfig.Builder ast = toy().iterations(3).matchingLoss(IntermediateMatching.equal())
        .innerLoss(BalancedInnerLoss.paper()).innerMomentum(0.9);
    DistillConfig config = ast.startPerturbation(FilterWisePerturbation.paper())
        .emaDecay(0.5).build();
    Recorder a = new Recorder();
    DistillState endA = distill(config, buffer, a);
    assertEquals(3, a.iterations.size(), "skipped " + a.skipped);
    for (IterationResult r : a.iterations) {
      // two normalized terms (M = 2), each near 1 at the start
      assertTrue(Double.isFinite(r.loss()) && r.loss() > 0 && r.loss() < 4, "loss " + r.loss());
    }
    Recorder unperturbed = new Recorder();
    distill(ast.startPerturbation(StartPerturbation.none()).emaDecay(0).build(), buffer,
        unperturbed);
    assertTrue(unperturbed.skipped.isEmpty());
    assertFalse(unperturbed.iterations.get(0).loss() == a.iterations.get(0).loss(),
        "the perturbation did not change the first loss");

    // the same run again, one iteration at a time: identical, and the EMA follows the images
    Recorder b = new Recorder();
    Model model = new ConvNet(SPEC);
    try (Distiller d = new Distiller(model, config, SessionOptions.threads(2))) {
      DistillState s = d.start(d.initialSet(data));
      float[] ema = s.set().images();
      assertArrayEquals(ema, s.imageEma().orElseThrow().images(), 0f);
      for (int it = 1; it <= 3; it++) {
        s = d.runUntil(buffer, s, it, List.of(b), new CheckpointPolicy(
            dir.resolve("ema-ckpt.bin"), 100));
        float[] img = s.set().images();
        for (int i = 0; i < ema.length; i++) {
          ema[i] = 0.5f * ema[i] + 0.5f * img[i];
        }
        assertArrayEquals(ema, s.imageEma().orElseThrow().images(), 1e-6f);
      }
      assertEquals(3, s.imageEma().orElseThrow().steps());
      assertEquals(a.iterations.stream().map(IterationResult::loss).toList(),
          b.iterations.stream().map(IterationResult::loss).toList());
      assertArrayEquals(endA.set().images(), s.set().images(), 0f);
      assertArrayEquals(endA.imageEma().orElseThrow().images(),
          s.imageEma().orElseThrow().images(), 1e-6f);
      assertEquals(s, Checkpoint.load(dir.resolve("ema-ckpt.bin"), config));
    }
  }

  /** A NaN in the expert target: every iteration is skipped, then the run stops. */
  @Test
  void divergenceGuardSkipsAndFinallyThrows() {
    Model model = new ConvNet(SPEC);
    TrajectoryMetadata meta = new TrajectoryMetadata(SPEC, model.layout(), "bands",
        Map.of("kind", "none"), Map.of("name", "sgd"), List.of(), 1, 0, "test");
    BufferDirectory bad = BufferDirectory.create(dir.resolve("nan"),
        BufferManifest.of(meta, 1, 4));
    float[] w = model.initialParams(1);
    try (TrajectoryWriter writer = bad.newExpertWriter(0, 1)) {
      for (int epoch = 0; epoch <= 4; epoch++) {
        float[] snap = w.clone();
        if (epoch >= 2) {
          snap[3] = Float.NaN;
        }
        writer.append(epoch, snap);
      }
      writer.commit();
    }
    Recorder rec = new Recorder();
    DistillConfig config = toy().maxConsecutiveFailures(3).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> distill(config, bad, rec));
    assertTrue(e.getMessage().contains("iteration 2") && e.getMessage().contains("lower lr_img"),
        e.getMessage());
    assertTrue(rec.iterations.isEmpty());
    assertEquals(List.of(1, 2, 3), rec.skipped.stream().map(SkippedIteration::consecutive)
        .toList());
    assertTrue(rec.skipped.get(0).reason().contains("loss is NaN"), rec.skipped.get(0)
        .reason());
  }

  /** A huge lr_lr: the first update would take syn_lr past its bound, so it is skipped. */
  @Test
  void explodingSynLrIsSkipped() {
    Recorder rec = new Recorder();
    DistillConfig config = toy().iterations(3).lrLr(1e4).maxSynLrRatio(2)
        .maxConsecutiveFailures(5).build();
    DistillState end = distill(config, buffer, rec);
    assertFalse(rec.skipped.isEmpty(), "nothing skipped; syn_lr " + end.set().synLr());
    assertTrue(rec.skipped.get(0).reason().contains("syn_lr would explode"),
        rec.skipped.get(0).reason());
    for (IterationResult r : rec.iterations) {
      assertTrue(r.synLr() <= config.maxSynLr(), "syn_lr " + r.synLr());
    }
    assertTrue(end.set().synLr() <= config.maxSynLr());
  }

  @Test
  void rejectsABufferWithTooFewEpochs() {
    DistillConfig config = toy().maxStartEpoch(4).build(); // needs 4 - 1 + 2 = 5 > 4 epochs
    var e = assertThrows(IllegalArgumentException.class,
        () -> distill(config, buffer, new Recorder()));
    assertTrue(e.getMessage().contains("4 epochs") && e.getMessage().contains("need 5"),
        e.getMessage());
  }
}
