package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "normalize" uses the reference code's fixed constants for the datasets it knows and fits
 * them otherwise; the recorded name says which.
 */
class ReferenceNormalizationTest {

  /** 50 images 2x2 with the given channels, pixel values spread over [0.1, 0.9]. */
  private static ImageSet images(int channels) {
    float[] x = new float[50 * 4 * channels];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 + 0.4 * Math.sin(0.37 * i));
    }
    return new ImageSet(x, new int[50], 2, 2, channels);
  }

  @Test
  void constantsAreTheReferenceCodes() {
    var cifar10 = ReferenceNormalization.forDataset("cifar10").orElseThrow();
    assertArrayEquals(new float[] {0.4914f, 0.4822f, 0.4465f}, cifar10.mean());
    assertArrayEquals(new float[] {0.2023f, 0.1994f, 0.2010f}, cifar10.std());
    // MTT's utils.py normalizes CIFAR-100 with CIFAR-10's constants
    var cifar100 = ReferenceNormalization.forDataset("cifar100").orElseThrow();
    assertArrayEquals(cifar10.mean(), cifar100.mean());
    assertArrayEquals(cifar10.std(), cifar100.std());
    assertArrayEquals(cifar10.std(),
        ReferenceNormalization.forDataset("cifar10-jpeg").orElseThrow().std());
    var mnist = ReferenceNormalization.forDataset("mnist").orElseThrow();
    assertArrayEquals(new float[] {0.1307f}, mnist.mean());
    assertArrayEquals(new float[] {0.3081f}, mnist.std());
    var fashion = ReferenceNormalization.forDataset("fashion-mnist").orElseThrow();
    assertArrayEquals(new float[] {0.2861f}, fashion.mean());
    assertArrayEquals(new float[] {0.3530f}, fashion.std());
    assertTrue(ReferenceNormalization.forDataset("image-folder:/x").isEmpty());
    assertTrue(ReferenceNormalization.forDataset(null).isEmpty());
  }

  @Test
  void normalizeOnAKnownDatasetUsesTheConstantsAndSaysSo() {
    ImageSet train = images(3);
    Preprocessing p = PreprocessingKinds.fit("normalize", "cifar10", train);
    assertEquals("normalize-reference", p.name());
    assertEquals("normalize-reference", p.describe().get("name"));
    assertEquals(List.of(0.2023f, 0.1994f, 0.2010f), p.describe().get("std"));
    assertTrue(String.valueOf(p.describe().get("source")).contains("CIFAR10"));
    float[] out = p.apply(train.images());
    assertEquals((train.images()[4] - 0.4822f) / 0.1994f, out[4], 1e-6); // pixel 1, channel 1
    assertArrayEquals(train.images(), p.invert(out), 1e-6f);
    Preprocessing mnist = PreprocessingKinds.fit("normalize", "mnist", images(1));
    assertEquals(List.of(0.3081f), mnist.describe().get("std"));
  }

  @Test
  void anUnknownDatasetStillFits() {
    ImageSet train = images(3);
    Preprocessing p = PreprocessingKinds.fit("normalize", "image-folder:/data/x", train);
    assertEquals("normalize-fitted", p.name());
    ChannelNormalization fitted = ChannelNormalization.fit(train);
    assertEquals(List.of(fitted.std()[0], fitted.std()[1], fitted.std()[2]),
        p.describe().get("std"));
    assertFalse(p.describe().containsKey("source"));
    assertEquals("normalize-fitted", PreprocessingKinds.fit("normalize", train).name());
    // fitting can be asked for on a known dataset too
    assertEquals("normalize-fitted",
        PreprocessingKinds.fit("normalize-fitted", "cifar10", train).name());
    var e = assertThrows(IllegalArgumentException.class,
        () -> PreprocessingKinds.fit("normalize-reference", "image-folder:/x", train));
    assertTrue(e.getMessage().contains("normalize-fitted"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> PreprocessingKinds.fit("normalize-reference", "mnist", train)); // 3 channels
  }

  @Test
  void recordedNamesTellOldFittedBuffersFromNewOnes() {
    assertEquals("normalize-reference", PreprocessingKinds.resolve("normalize", "cifar10"));
    assertEquals("normalize-fitted", PreprocessingKinds.resolve("normalize", "image-folder:a"));
    assertEquals("zca", PreprocessingKinds.resolve("zca", "cifar10"));
    // a buffer written before: "normalize" = fitted constants
    assertFalse(PreprocessingKinds.sameKind("normalize", "normalize", "cifar10"));
    assertTrue(PreprocessingKinds.sameKind("normalize", "normalize-fitted", "cifar10"));
    assertTrue(PreprocessingKinds.sameKind("normalize", "normalize", "image-folder:a"));
    assertTrue(PreprocessingKinds.sameKind("normalize-reference", "normalize", "cifar10"));
    assertFalse(PreprocessingKinds.sameKind("normalize-fitted", "normalize", "cifar10"));
  }
}
