package org.dd4j.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.Dataset;
import org.dd4j.data.DatasetRegistry;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;
import org.dd4j.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer phase on real Fashion-MNIST (a 6,000-image slice, one small expert). */
class FashionMnistBufferTest {

  @Test
  void expertLearnsFashionMnistAndItsTrajectoryReadsBack(@TempDir Path dir) {
    assumeTrue(Files.exists(DatasetRegistry.DEFAULT_FASHION_MNIST.resolve(
        "train-images-idx3-ubyte.gz")), "Fashion-MNIST not installed");
    Dataset full = DatasetRegistry.withBuiltins().load("fashion-mnist");
    Dataset small = new Dataset(full.name(), full.train().select(range(6000)),
        full.test().select(range(2000)), full.classNames());
    var prepared = PreprocessingKinds.prepare(small, "normalize");
    ModelSpec spec = ModelSpec.convNet(3, 8, new InputShape(28, 28, 1), 10);
    var training = new Training(2, 128, 0.05, 1, new long[0], 0.9, 0, false);
    var config = new BufferConfig(spec, "fashion-mnist", prepared.preprocessing().describe(),
        training, 1, 7);
    List<EpochResult> epochs = new ArrayList<>();
    BufferDirectory buffer = new BufferPhase(config, Augmentation.none(),
        SessionOptions.threads(2)).run(prepared.data(), dir, List.of(new BufferListener() {
          @Override
          public void onEpoch(EpochResult r) {
            epochs.add(r);
          }
        }));
    double acc = epochs.get(1).testAccuracy();
    System.out.printf("Fashion-MNIST slice, ConvNet-3 w8, 2 epochs: test accuracy %.2f%%%n",
        100 * acc);
    assertTrue(acc > 0.70, "test accuracy " + acc);
    assertTrue(epochs.get(1).trainLoss() < epochs.get(0).trainLoss());
    try (TrajectoryReader r = buffer.openExpert(0)) {
      assertEquals(3, r.numSnapshots());
      assertEquals("fashion-mnist", r.metadata().dataset());
      assertEquals("normalize-reference", r.metadata().preprocessing().get("name"));
      // Fashion-MNIST's reference std (DC's utils.py), not the fitted one
      assertEquals(0.353, ((Number) ((List<?>) r.metadata().preprocessing().get("std")).get(0))
          .doubleValue(), 1e-6);
    }
  }

  private static int[] range(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }
}
