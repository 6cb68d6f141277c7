package org.dd4j.distill;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seconds per distillation iteration: ConvNet-3 of width 32 on 28x28x1, 10 classes, ipc 10,
 * N = 10, batch_syn = 100, with and without DSA, on a synthetic trajectory (random walk from
 * an initialization). Run with {@code -Ddd4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "dd4j.benchmark", matches = "true")
class DistillerBenchmarkTest {

  @Test
  void secondsPerIteration(@TempDir Path dir) {
    ModelSpec spec = ModelSpec.convNet(3, 32, new InputShape(28, 28, 1), 10);
    Model model = new ConvNet(spec);
    TrajectoryMetadata meta = new TrajectoryMetadata(spec, model.layout(), "synthetic",
        Map.of("kind", "none"), Map.of("name", "sgd"), List.of(), 1, 0, "bench");
    BufferDirectory buf = BufferDirectory.create(dir.resolve("buf"),
        BufferManifest.of(meta, 1, 4));
    float[] w = model.initialParams(1);
    Random r = new Random(2);
    try (TrajectoryWriter writer = buf.newExpertWriter(0, 1)) {
      for (int epoch = 0; epoch <= 4; epoch++) {
        writer.append(epoch, w.clone());
        for (int i = 0; i < w.length; i++) {
          w[i] += 0.01f * (float) r.nextGaussian();
        }
      }
      writer.commit();
    }
    int threads = Integer.getInteger("dd4j.threads", 2);
    for (String dsa : List.of(DistillConfig.NO_DSA,
        org.dd4j.augment.DsaConfig.DEFAULT_STRATEGY)) {
      DistillConfig config = DistillConfig.builder().ipc(10).synSteps(10).expertEpochs(2)
          .maxStartEpoch(2).iterations(6).lrImg(100).lrLr(1e-5).lrTeacher(0.01).batchSyn(100)
          .dsaStrategy(dsa).imageInit(ImageInit.NOISE).build();
      long t0 = System.nanoTime();
      try (Distiller d = new Distiller(model, config, SessionOptions.threads(threads))) {
        double build = (System.nanoTime() - t0) / 1e9;
        List<Double> secs = new ArrayList<>();
        d.run(buf, d.start(SyntheticSet.initNoise(spec.input(), 10, 10, 0.01,
            new SplittableRandom(3))), List.of(new DistillListener() {
              @Override
              public void onIteration(IterationResult res) {
                secs.add(res.seconds());
              }
            }));
        System.out.printf("distill bench dsa=%s threads=%d: graph build %.2f s, iterations %s"
            + "%n", dsa, threads, build, secs);
      }
    }
  }
}
