package org.dd4j.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;
import org.dd4j.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferPhaseTest {

  /** Class c has a bright c-th quarter row band: learnable in a few steps. */
  static ImageSet bands(int n, long seed) {
    return org.dd4j.data.ToyBands.bands(n, seed);
  }

  static Dataset data() {
    return new Dataset("bands", bands(512, 1), bands(200, 2), List.of("a", "b", "c", "d"));
  }

  static BufferConfig config(int experts) {
    ModelSpec spec = ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4);
    var training = new Training(3, 64, 0.1, 0.5, new long[] {2}, 0.5, 5e-4, false);
    return new BufferConfig(spec, "bands", Map.of("kind", "none"), training, experts, 42);
  }

  @Test
  void trainsStoresAndSkipsCompleteExperts(@TempDir Path dir) throws Exception {
    List<EpochResult> epochs = new ArrayList<>();
    BufferListener record = new BufferListener() {
      @Override
      public void onEpoch(EpochResult r) {
        epochs.add(r);
      }
    };
    Path metrics = dir.resolve("metrics.jsonl");
    BufferPhase phase = new BufferPhase(config(2), Augmentation.none(), SessionOptions.threads(2));
    BufferDirectory buffer = phase.run(data(), dir.resolve("buf"),
        List.of(record, new MetricsFile(metrics)));
    assertEquals(List.of(0, 1), buffer.completeExperts());
    assertEquals(6, epochs.size());
    assertEquals(6, Files.readAllLines(metrics).size());
    assertEquals(0.1, epochs.get(0).lr(), 1e-12);
    assertEquals(0.05, epochs.get(2).lr(), 1e-12); // decayed at epoch index 2
    EpochResult last = epochs.get(2);
    assertTrue(last.testAccuracy() > 0.9, "expert 0 test accuracy " + last.testAccuracy());
    try (TrajectoryReader r = buffer.openExpert(1)) {
      assertEquals(4, r.numSnapshots());
      assertArrayEquals(new int[] {0, 1, 2, 3}, r.epochs());
      assertTrue(r.snapshot(0)[0] != r.snapshot(3)[0]);
    }
    // a re-run with more experts trains only the new one
    List<Integer> skipped = new ArrayList<>();
    new BufferPhase(config(3), Augmentation.none(), SessionOptions.threads(2)).run(data(),
        dir.resolve("buf"), List.of(new BufferListener() {
          @Override
          public void onExpertSkipped(int expert) {
            skipped.add(expert);
          }
        }));
    assertEquals(List.of(0, 1), skipped);
    assertEquals(List.of(0, 1, 2), BufferDirectory.open(dir.resolve("buf")).completeExperts());
  }

  @Test
  void sameSeedGivesTheSameTrajectory(@TempDir Path dir) {
    BufferConfig c = config(1);
    new BufferPhase(c, Augmentation.none(), SessionOptions.threads(2)).run(data(),
        dir.resolve("a"), List.of());
    new BufferPhase(c, Augmentation.none(), SessionOptions.threads(2)).run(data(),
        dir.resolve("b"), List.of());
    try (TrajectoryReader a = BufferDirectory.open(dir.resolve("a")).openExpert(0);
        TrajectoryReader b = BufferDirectory.open(dir.resolve("b")).openExpert(0)) {
      assertArrayEquals(a.snapshot(0), b.snapshot(0));
      float[] ea = a.snapshot(3);
      float[] eb = b.snapshot(3);
      for (int i = 0; i < ea.length; i++) {
        assertEquals(ea[i], eb[i], 1e-5f, "parameter " + i);
      }
    }
  }

  @Test
  void divergenceStopsWithAClearMessageAndLeavesNoTrajectory(@TempDir Path dir)
      throws Exception {
    ModelSpec spec = ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4);
    var config = new BufferConfig(spec, "bands", Map.of("kind", "none"),
        ExpertRecipe.preset("mtt", 2), 1, 1);
    Dataset good = data();
    float[] pixels = good.train().images().clone();
    java.util.Arrays.fill(pixels, 0, 64, Float.NaN); // one corrupt image
    Dataset bad = new Dataset("bands", good.train().withImages(pixels), good.test(),
        good.classNames());
    Path buf = dir.resolve("buf");
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> new BufferPhase(config, Augmentation.none(), SessionOptions.threads(2))
            .run(bad, buf, List.of()));
    assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("lr_teacher"),
        e.getMessage());
    try (var files = Files.list(buf)) {
      assertEquals(List.of("manifest.json"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void trainsWithDsaAndRecordsItInTheMetadata(@TempDir Path dir) {
    ModelSpec spec = ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4);
    var training = new Training(2, 64, 0.1, 1, new long[0], 0.5, 0, true);
    var config = new BufferConfig(spec, "bands", Map.of("kind", "none"), training, 1, 3);
    var dsa = new org.dd4j.augment.DsaAugmentation(org.dd4j.augment.DsaConfig.defaults(),
        spec.input(), 5, org.dd4j.augment.DsaAugmentation.Pairing.INDEPENDENT);
    List<EpochResult> epochs = new ArrayList<>();
    BufferDirectory buffer = new BufferPhase(config, dsa, SessionOptions.threads(2)).run(data(),
        dir, List.of(new BufferListener() {
          @Override
          public void onEpoch(EpochResult r) {
            epochs.add(r);
          }
        }));
    assertTrue(epochs.get(1).testAccuracy() > 0.5, "accuracy " + epochs.get(1).testAccuracy());
    try (TrajectoryReader r = buffer.openExpert(0)) {
      Object aug = r.metadata().optimizer().get("augmentation");
      assertTrue(aug.toString().contains("color_crop_cutout_flip_scale_rotate"), "" + aug);
    }
  }
}
