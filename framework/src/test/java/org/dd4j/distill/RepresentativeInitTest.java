package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.Model;
import org.dd4j.select.CoresetSelection;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.ExpertEmbedder;
import org.dd4j.select.KMeansCoreset;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryWriter;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AST's representative initialization through the {@link SyntheticInit} interface, on
 * {@link DistillerTest}'s toy bands problem (8x8x1, 4 classes), with a one-expert buffer of
 * three distinct (untrained, seeded) snapshots: selection needs fixed parameters, not good
 * ones, and writing them is faster than training.
 */
class RepresentativeInitTest {

  @TempDir static Path dir;
  static Dataset data;
  static Path bufferDir;
  static Model model;

  @BeforeAll
  static void writeBuffer() {
    data = new Dataset("bands", DistillerTest.bands(96, 1), DistillerTest.bands(16, 2),
        List.of("a", "b", "c", "d"));
    model = new ConvNet(DistillerTest.SPEC);
    bufferDir = dir.resolve("buf");
    TrajectoryMetadata meta = new TrajectoryMetadata(DistillerTest.SPEC, model.layout(),
        "bands", Map.of("kind", "none"), Map.of("name", "sgd"), List.of(), 1, 0, "test");
    BufferDirectory buf = BufferDirectory.create(bufferDir, BufferManifest.of(meta, 1, 2));
    try (TrajectoryWriter w = buf.newExpertWriter(0, 1)) {
      for (int epoch = 0; epoch <= 2; epoch++) { // untrained but distinct parameters
        w.append(epoch, model.initialParams(epoch));
      }
      w.commit();
    }
  }

  private static SyntheticSet init(SyntheticInit init, int ipc, long seed) {
    return init.initialize(new SyntheticInit.Context(model, data.train(), 4, ipc, 0.01,
        new SplittableRandom(seed)));
  }

  /** Rows of {@code set} as row index into data.train() (the images are copies). */
  private static int[] rowsOf(SyntheticSet set) {
    ImageSet tr = data.train();
    int size = tr.imageSize();
    float[] all = tr.images();
    float[] syn = set.images();
    int[] rows = new int[set.count()];
    for (int s = 0; s < rows.length; s++) {
      rows[s] = -1;
      for (int i = 0; i < tr.count() && rows[s] < 0; i++) {
        if (Arrays.equals(all, i * size, (i + 1) * size, syn, s * size, (s + 1) * size)) {
          rows[s] = i;
        }
      }
    }
    return rows;
  }

  @Test
  void ipcOnePicksTheImageNearestTheClassMeanEmbedding() {
    SyntheticSet set = init(SyntheticInit.representative(bufferDir), 1, 3);
    int[] rows = rowsOf(set);
    int[][] byClass = CoresetSelection.indicesByClass(data.train().labels(), 4);
    try (ExpertEmbedder e = ExpertEmbedder.fromBuffer(BufferDirectory.open(bufferDir), 0,
        EmbeddingLayer.FEATURES, SessionOptions.threads(2))) {
      for (int c = 0; c < 4; c++) {
        float[][] emb = e.embed(data.train(), byClass[c]);
        double[] mu = new double[emb[0].length];
        for (float[] row : emb) {
          for (int j = 0; j < mu.length; j++) {
            mu[j] += row[j] / emb.length;
          }
        }
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < emb.length; i++) {
          double d = 0;
          for (int j = 0; j < mu.length; j++) {
            d += (emb[i][j] - mu[j]) * (emb[i][j] - mu[j]);
          }
          if (d < bestD) {
            bestD = d;
            best = byClass[c][i];
          }
        }
        assertEquals(best, rows[c], "class " + c);
      }
    }
  }

  @Test
  void givesIpcDistinctRealImagesPerClassDeterministically() {
    for (SyntheticInit init : List.of(SyntheticInit.representative(bufferDir),
        RepresentativeInit.builder(bufferDir).embedding(EmbeddingLayer.LOGITS).build())) {
      SyntheticSet a = init(init, 5, 11);
      int[] rows = rowsOf(a);
      Set<Integer> distinct = new HashSet<>();
      for (int s = 0; s < rows.length; s++) {
        assertTrue(rows[s] >= 0, init.id() + ": image " + s + " is not a training image");
        assertEquals(s / 5, data.train().labels()[rows[s]], init.id() + " image " + s);
        distinct.add(rows[s]);
      }
      assertEquals(20, distinct.size(), init.id());
      assertEquals(a, init(init, 5, 11), init.id());
      assertEquals(0.01, a.synLr());
    }
  }

  @Test
  void pluggedIntoTheDistillerAndNamedInTheCheckpointConfig() {
    RepresentativeInit rep = RepresentativeInit.builder(bufferDir)
        .clustering(KMeansCoreset.Clustering.TEN_CLUSTERS).build();
    assertEquals("representative(expert=0,embedding=features,clustering=ten-clusters)",
        rep.id());
    assertEquals("representative(expert=0,embedding=features,clustering=per-image)",
        SyntheticInitRegistry.create("representative", bufferDir).id());
    assertEquals(ImageInit.REAL, SyntheticInitRegistry.create("real", null));
    assertEquals("noise", SyntheticInit.noise().id());
    assertThrows(IllegalArgumentException.class,
        () -> SyntheticInitRegistry.create("kmeans", bufferDir));
    DistillConfig config = DistillerTest.toy().ipc(2).synSteps(1)
        .imageInit(SyntheticInit.representative(bufferDir)).build();
    assertEquals(SyntheticInit.representative(bufferDir).id(),
        Checkpoint.configJson(config).get("image_init").asText());
    try (Distiller d = new Distiller(model, config, SessionOptions.threads(2))) {
      SyntheticSet s = d.initialSet(data);
      assertArrayEquals(init(SyntheticInit.representative(bufferDir), 2, config.seed())
          .images(), s.images());
      assertEquals(config.lrTeacher(), s.synLr());
      assertNotEquals(d.initialSet(data), SyntheticSet.initReal(data.train(), 4, 2, 0.1,
          new SplittableRandom(config.seed())));
    }
    // ten clusters cannot make 2 images per class
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> init(rep, 2, 0));
    assertTrue(x.getMessage().contains("multiple of 10"), x.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> init(RepresentativeInit.builder(bufferDir).expert(3).build(), 1, 0));
  }
}
