package org.dd4j.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints load and preprocessing times on the real data, kept out of the test suite because it
 * takes about a minute: Fashion-MNIST, cifar10-jpeg uncached, cached (first and second read) and
 * the ZCA fit and whitening of its train split.
 *
 * <p>Run: {@code java -cp datasets/target/classes:datasets/target/test-classes:<deps>
 * org.dd4j.data.LoadTimings [cifar10-jpeg.tar.gz]}
 */
public final class LoadTimings {

  public static void main(String[] args) throws Exception {
    long t = System.nanoTime();
    Dataset fashion = IdxReader.readDataset(Path.of("/usr/share/datasets/fashion-mnist"),
        "fashion-mnist", IdxReader.FASHION_MNIST_CLASSES);
    report("Fashion-MNIST " + fashion.train().count() + "+" + fashion.test().count(), t);

    Path archive = Path.of(args.length > 0 ? args[0] : "/work/shared/data/cifar10-jpeg.tar.gz");
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

    t = System.nanoTime();
    double[] mean = new double[cifar.train().imageSize()];
    FloatMatrices.covariance(cifar.train().images(), cifar.train().count(),
        cifar.train().imageSize(), mean);
    report("covariance 50000x3072 (uncentered, timing only)", t);
    t = System.nanoTime();
    ZcaWhitening zca = ZcaWhitening.fit(cifar.train(), ZcaWhitening.MTT_EPS);
    report("ZCA fit on cifar10-jpeg train", t);
    t = System.nanoTime();
    zca.apply(cifar.train());
    zca.apply(cifar.test());
    report("ZCA whitening of train + test", t);
    System.out.println("largest eigenvalues: " + zca.eigenvalues()[0] + ", "
        + zca.eigenvalues()[1]);
  }

  private static void report(String what, long start) {
    System.out.printf("%-55s %7.2f s%n", what, (System.nanoTime() - start) / 1e9);
  }
}
