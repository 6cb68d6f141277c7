package org.dd4j.bench;

import org.dd4j.buffer.Augmentation;
import org.dd4j.buffer.ExpertTrainer;
import org.dd4j.buffer.ExpertTraining;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;

/** Scratch: throughput on random data. */
public class QuickThroughput {
  public static void main(String[] a) {
    int n = 256 * Integer.parseInt(a.length > 0 ? a[0] : "20");
    boolean grappler = a.length > 1 && a[1].equals("grappler");
    float[] img = new float[n * 784];
    int[] lab = new int[n];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < img.length; i++) img[i] = r.nextFloat();
    for (int i = 0; i < n; i++) lab[i] = r.nextInt(10);
    ImageSet set = new ImageSet(img, lab, 28, 28, 1);
    var model = new ConvNet(ModelSpec.convNet(3, 128, new InputShape(28, 28, 1), 10));
    try (var t = new ExpertTrainer(model, ExpertTraining.mtt(1), Augmentation.none(),
        new SessionOptions(2, Integer.getInteger("inter", 1), grappler))) {
      t.reset(model.initialParams(0));
      int[] order = new int[n];
      for (int i = 0; i < n; i++) order[i] = i;
      int[] warm = java.util.Arrays.copyOf(order, 512);
      t.trainEpoch(set, warm, 0.01, null);
      var s = t.trainEpoch(set, order, 0.01, null);
      System.out.printf("%d images in %.2f s: %.1f images/s, peak RSS %.2f GB%n", n, s.seconds(),
          n / s.seconds(), ProcessMemory.peakRssBytes() / 1e9);
    }
  }
}
