package org.dd4j.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TensorFlow embedder and every registered coreset applied per class: a ConvNet-2 of
 * width 4 with seeded random parameters embeds 8x8x1 images of 3 classes.
 */
class CoresetSelectionTest {

  static final ModelSpec SPEC = ModelSpec.convNet(2, 4, new InputShape(8, 8, 1), 3);
  static final int IPC = 4;
  static Model model;
  static ImageSet train;
  static ExpertEmbedder embedder;

  @BeforeAll
  static void setUp() {
    model = new ConvNet(SPEC);
    Random r = new Random(3);
    int n = 45;
    float[] img = new float[n * 64];
    int[] lab = new int[n];
    for (int i = 0; i < n; i++) {
      lab[i] = (i * 7) % 3; // classes interleaved, 15 images each
      for (int p = 0; p < 64; p++) {
        img[i * 64 + p] = (float) (r.nextGaussian() + (p / 21 == lab[i] ? 1 : 0));
      }
    }
    train = new ImageSet(img, lab, 8, 8, 1);
    embedder = new ExpertEmbedder(model, model.initialParams(9), EmbeddingLayer.FEATURES, 7,
        SessionOptions.threads(2)); // batch 7: 15 images per class span 3 batches
  }

  @AfterAll
  static void tearDown() {
    embedder.close();
  }

  @Test
  void batchedEmbeddingsAgreeWithOneBatchAndHaveTheFeatureShape() {
    assertEquals(((ConvNet) model).featureDim(), embedder.dimension()); // F = width x h x w
    float[][] small = embedder.embedAll(train);
    try (ExpertEmbedder big = new ExpertEmbedder(model, model.initialParams(9),
        EmbeddingLayer.FEATURES, 1000, SessionOptions.threads(2));
        ExpertEmbedder logits = new ExpertEmbedder(model, model.initialParams(9),
            EmbeddingLayer.LOGITS, 1000, SessionOptions.threads(2))) {
      float[][] all = big.embedAll(train);
      assertEquals(train.count(), all.length);
      for (int i = 0; i < all.length; i++) {
        for (int j = 0; j < all[i].length; j++) {
          assertEquals(all[i][j], small[i][j], 1e-5 * (1 + Math.abs(all[i][j])));
        }
      }
      assertEquals(3, logits.dimension());
      float[][] one = logits.embed(train, new int[] {5});
      assertEquals(1, one.length);
      assertEquals(3, one[0].length);
    }
  }

  @Test
  void everyRegisteredCoresetGivesIpcDistinctRealImagesPerClassDeterministically() {
    assertTrue(CoresetRegistry.names().containsAll(
        java.util.List.of("random", "herding", "k-center", "k-means")));
    for (String name : CoresetRegistry.names()) {
      Coreset c = CoresetRegistry.named(name);
      int[] a = CoresetSelection.select(c, train, 3, IPC, embedder, new SplittableRandom(5));
      assertEquals(3 * IPC, a.length, name);
      assertEquals(3 * IPC, Arrays.stream(a).distinct().count(), name);
      for (int i = 0; i < a.length; i++) {
        assertEquals(i / IPC, train.labels()[a[i]], name + " pick " + i);
      }
      assertArrayEquals(a, CoresetSelection.select(CoresetRegistry.named(name), train, 3, IPC,
          embedder, new SplittableRandom(5)), name);
    }
  }

  @Test
  void herdingAndKCenterStartAtTheImageNearestTheClassMeanEmbedding() {
    int[][] byClass = CoresetSelection.indicesByClass(train.labels(), 3);
    int[] h = CoresetSelection.select(Coreset.herding(), train, 3, IPC, embedder,
        new SplittableRandom(0));
    int[] k = CoresetSelection.select(Coreset.kCenter(), train, 3, IPC, embedder,
        new SplittableRandom(0));
    for (int c = 0; c < 3; c++) {
      float[][] e = embedder.embed(train, byClass[c]);
      int nearest = byClass[c][Embeddings.nearest(e, Embeddings.mean(e))];
      assertEquals(nearest, h[c * IPC], "class " + c);
      assertEquals(nearest, k[c * IPC], "class " + c);
    }
  }

  @Test
  void randomPicksTheImagesOfInitReal() {
    int[] a = CoresetSelection.select(Coreset.random(), train, 3, IPC, null,
        new SplittableRandom(8));
    SyntheticSet real = SyntheticSet.initReal(train, 3, IPC, 0.01, new SplittableRandom(8));
    assertArrayEquals(real.images(), train.select(a).images());
    assertThrows(IllegalArgumentException.class, () -> CoresetSelection.select(
        Coreset.herding(), train, 3, IPC, null, new SplittableRandom(8)));
    assertThrows(IllegalArgumentException.class, () -> CoresetSelection.select(
        Coreset.random(), train, 3, 16, null, new SplittableRandom(8)));
  }
}
