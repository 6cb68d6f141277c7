package org.dd4j.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints load and preprocessing times on the real data, kept out of the test suite because it
 * takes a few minutes: Fashion-MNIST, cifar10-jpeg uncached, cached (first and second read) and
 * the ZCA fit on its train split and whitening of train + test.
 *
 * <p>Run: {@code TF_ENABLE_ONEDNN_OPTS=1 java -Xmx12g -cp datasets/target/classes:datasets/target/test-classes:<deps>
 * org.dd4j.data.LoadTimings [--zca-only] [cifar10-jpeg.tar.gz]}; {@code --zca-only} reads
 * cifar10-jpeg through the default decoded cache ({@code ~/.cache/dd4j}) and times only ZCA; {@code -Ddd4j.zca.dump=FILE} writes T as big-endian floats for comparing two
 * implementations.
 */
public final class LoadTimings {

  public static void main(String[] args) throws Exception {
    boolean zcaOnly = args.length > 0 && args[0].equals("--zca-only");
    if (zcaOnly) {
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    Path archive = Path.of(args.length > 0 ? args[0] : "/work/shared/data/cifar10-jpeg.tar.gz");
    long t;
    if (zcaOnly) {
      t = System.nanoTime();
      Dataset cifar = ImageFolderReader.withDefaultCache().read(archive, "cifar10-jpeg");
      report("cifar10-jpeg through the default cache", t);
      timeZca(cifar);
      return;
    }
    t = System.nanoTime();
    Dataset fashion = IdxReader.readDataset(Path.of("/usr/share/datasets/fashion-mnist"),
        "fashion-mnist", IdxReader.FASHION_MNIST_CLASSES);
    report("Fashion-MNIST " + fashion.train().count() + "+" + fashion.test().count(), t);

    t = System.nanoTime();
    Dataset cifar = ImageFolderReader.uncached().read(archive, "cifar10-jpeg");
    report("cifar10-jpeg uncached", t);
    Path cache = Files.createTempDirectory("dd4j-cache");
    t = System.nanoTime();
    ImageFolderReader.cachedIn(cache).read(archive, "cifar10-jpeg");
    report("cifar10-jpeg first cached read (decode + write cache)", t);
    t = System.nanoTime();
    cifar = ImageFolderReader.cachedIn(cache).read(archive, "cifar10-jpeg");
    report("cifar10-jpeg second cached read", t);
    timeZca(cifar);
  }

  private static void timeZca(Dataset cifar) throws java.io.IOException {
    long t = System.nanoTime();
    ZcaWhitening zca = ZcaWhitening.fit(cifar.train(), ZcaWhitening.MTT_EPS);
    report("ZCA fit on cifar10-jpeg train", t);
    t = System.nanoTime();
    zca.apply(cifar.train());
    float[] test = zca.apply(cifar.test()).images();
    report("ZCA whitening of train + test", t);
    System.out.println("largest eigenvalues: " + zca.eigenvalues()[0] + ", "
        + zca.eigenvalues()[1] + "; smallest: " + zca.eigenvalues()[zca.eigenvalues().length - 1]);
    double sumSq = 0;
    for (float v : test) {
      sumSq += (double) v * v;
    }
    System.out.printf("whitened test: rms %.6f, first values %.6f %.6f %.6f%n",
        Math.sqrt(sumSq / test.length), test[0], test[1], test[2]);
    String dump = System.getProperty("dd4j.zca.dump");
    if (dump != null) {
      // T as raw big-endian floats, to compare two implementations.
      try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
          Files.newOutputStream(Path.of(dump))))) {
        for (float v : zca.transform()) {
          out.writeFloat(v);
        }
      }
    }
  }

  private static void report(String what, long start) {
    System.out.printf("%-55s %7.2f s%n", what, (System.nanoTime() - start) / 1e9);
  }
}
