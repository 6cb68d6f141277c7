package org.dd4j.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;

/** Small fixtures: a ConvNet-1 of width 4 on 4x4x1 images, 3 classes (P = 91). */
final class TestTrajectories {

  static final ModelSpec MODEL = ModelSpec.convNet(1, 4, new InputShape(4, 4, 1), 3);
  static final ParamLayout LAYOUT = new ParamLayout(List.of(
      new ParamShape("conv0.weight", new long[] {3, 3, 1, 4}),
      new ParamShape("conv0.bias", new long[] {4}),
      new ParamShape("dense.weight", new long[] {16, 3}),
      new ParamShape("dense.bias", new long[] {3})));
  static final int P = 91;

  private TestTrajectories() {}

  static TrajectoryMetadata metadata(int expertIndex) {
    return new TrajectoryMetadata(MODEL, LAYOUT, "mnist-tiny",
        Map.of("kind", "zca", "eps", 0.1f),
        Map.of("name", "sgd", "lr", 0.01, "momentum", 0.0, "batch_size", 256),
        List.of(Map.of("name", "gradient_penalty", "mu", 1.0, "k", 1)),
        1234L + expertIndex, expertIndex, "0.1.0-test");
  }

  /**
   * Snapshots with arbitrary bit patterns (NaN payloads, infinities, subnormals, -0.0
   * included) so that a round trip proves bit-exactness.
   */
  static float[][] snapshots(int count, long seed) {
    Random rnd = new Random(seed);
    float[][] s = new float[count][P];
    for (float[] row : s) {
      for (int i = 0; i < P; i++) {
        row[i] = i % 2 == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) rnd.nextGaussian();
      }
    }
    return s;
  }

  /** Writes a committed trajectory of {@code snaps} at epochs 0, 1, ... */
  static Path write(Path file, TrajectoryMetadata metadata, float[][] snaps) {
    try (TrajectoryWriter w = TrajectoryWriter.create(file, metadata)) {
      for (int t = 0; t < snaps.length; t++) {
        w.append(t, snaps[t]);
      }
      return w.commit();
    }
  }
}
