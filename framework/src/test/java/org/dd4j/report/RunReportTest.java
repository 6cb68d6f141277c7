package org.dd4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.BufferManifest;
import org.dd4j.storage.BufferRecord;
import org.dd4j.storage.TrajectoryMetadata;
import org.dd4j.storage.TrajectoryWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /** A distill run directory: config, 30 iterations (one skipped), evaluations at 2 points. */
  static Path distillRun(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), """
        {"command": "distill", "method": "mtt", "buffer": "/tmp/buf",
         "dataset": "tiny", "preprocess": "zca",
         "model": {"name": "convnet", "depth": 1, "width": 4},
         "distill": {"ipc": 2, "iterations": 30, "lrImg": 100.0},
         "evaluation": {"epochs": 5, "runs": 2}}
        """);
    StringBuilder m = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      if (i == 7) {
        m.append("{\"iteration\":7,\"expert\":0,\"start_epoch\":1,\"loss\":\"NaN\","
            + "\"skipped\":\"non-finite loss\",\"consecutive_skips\":1}\n");
      } else {
        m.append(String.format("{\"iteration\":%d,\"expert\":%d,\"start_epoch\":0,"
            + "\"loss\":%s,\"syn_lr\":%s,\"seconds\":0.5}%n", i, i % 2, 1.0 / (1 + i),
            0.01 + 1e-4 * i));
      }
    }
    Files.writeString(dir.resolve("metrics.jsonl"), m);
    Files.writeString(dir.resolve("eval.jsonl"), """
        {"iteration":10,"set":"distilled","lr":0.011,"mean":0.5,"std":0.02,"accuracies":[0.48,0.52]}
        {"iteration":30,"set":"distilled","lr":0.013,"mean":0.7840,"std":0.0133,"accuracies":[0.7707,0.7973]}
        {"iteration":30,"set":"random_real","lr":0.01,"mean":0.7433,"std":0.0088,"accuracies":[0.7345,0.7521]}
        """);
    BufferedImage grid = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
    ImageIO.write(grid, "png", dir.resolve("syn-final.png").toFile());
    return dir;
  }

  /** A buffer of 2 experts x 3 epochs of a 7-parameter model; expert 1 is incomplete. */
  static Path bufferRun(Path dir) throws Exception {
    ModelSpec model = ModelSpec.convNet(1, 1, new InputShape(2, 2, 1), 2);
    ParamLayout layout = new ParamLayout(List.of(
        new ParamShape("w", new long[] {2, 3}), new ParamShape("b", new long[] {1})));
    TrajectoryMetadata common = new TrajectoryMetadata(model, layout, "tiny",
        Map.of("name", "normalize"), Map.of("name", "sgd", "lr_teacher", 0.01), List.of(), 0L,
        0, "test");
    BufferDirectory b = BufferDirectory.create(dir, BufferManifest.of(common, 2, 3));
    try (TrajectoryWriter w = b.newExpertWriter(0, 0)) {
      for (int t = 0; t <= 3; t++) {
        float[] p = new float[7];
        p[0] = t; // one step of 1 per epoch: Avg_Var = 1
        w.append(t, p);
      }
      w.commit();
    }
    b.refreshManifest();
    StringBuilder m = new StringBuilder();
    for (int e = 0; e < 2; e++) {
      for (int epoch = 1; epoch <= (e == 0 ? 3 : 2); epoch++) {
        m.append(String.format("{\"expert\":%d,\"epoch\":%d,\"lr\":0.01,\"train_loss\":%s,"
            + "\"train_acc\":0.5,\"test_acc\":%s,\"seconds\":2.0,\"images_per_second\":100}%n",
            e, epoch, 1.0 / epoch, 0.5 + 0.1 * epoch + 0.01 * e));
      }
    }
    Files.writeString(dir.resolve("metrics.jsonl"), m);
    return dir;
  }

  static BufferedImage readPng(Path png) throws Exception {
    assertTrue(Files.size(png) > 0, png + " is empty");
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img, png + " is not a readable image");
    assertEquals(Charts.WIDTH, img.getWidth());
    assertEquals(Charts.HEIGHT, img.getHeight());
    return img;
  }

  @Test
  void distillReportHasAccuracyTableAndCharts(@TempDir Path tmp) throws Exception {
    Path dir = distillRun(tmp.resolve("run"));
    assertEquals(RunReport.Kind.DISTILL, RunReport.detect(dir));
    RunReport r = RunReport.write(dir);
    assertEquals(RunReport.Kind.DISTILL, r.kind());
    assertEquals(List.of(dir.resolve(DistillReport.LOSS_CHART),
        dir.resolve(DistillReport.SYN_LR_CHART), dir.resolve(DistillReport.ACCURACY_CHART)),
        r.charts());
    for (Path png : r.charts()) {
      readPng(png);
    }
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("| iteration | set | lr | test accuracy (%) | networks |"), md);
    assertTrue(md.contains("| 30 | distilled | 0.013000 | 78.40 +- 1.33 | 2 |"), md);
    assertTrue(md.contains("| 30 | random real | 0.010000 | 74.33 +- 0.88 | 2 |"), md);
    assertTrue(md.contains("distilled 78.40 +- 1.33 % vs random real 74.33 +- 0.88 % "
        + "(+4.07 points)"), md);
    assertTrue(md.contains("29 applied, 1 skipped"), md);
    assertTrue(md.contains("skipped 1 x: non-finite loss"), md);
    assertTrue(md.contains("time in iterations: 14.5 s"), md);
    assertTrue(md.contains("![syn-final.png](syn-final.png)"), md);
    assertTrue(md.contains("metrics.jsonl") && md.contains("JSON Lines"), md);
    assertTrue(md.contains("| `distill.lrImg` | 100.0 |"), md);
    assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
  }

  @Test
  void singleEvaluationHasNoAccuracyChartAndRemovesAStaleOne(@TempDir Path tmp)
      throws Exception {
    Path dir = distillRun(tmp.resolve("run"));
    Files.writeString(dir.resolve(DistillReport.ACCURACY_CHART), "stale");
    Files.writeString(dir.resolve("eval.jsonl"), """
        {"iteration":30,"set":"distilled","lr":0.013,"mean":0.78,"std":0.01,"accuracies":[0.77,0.79]}
        """);
    RunReport r = RunReport.write(dir);
    assertEquals(2, r.charts().size());
    assertFalse(Files.exists(dir.resolve(DistillReport.ACCURACY_CHART)));
  }

  @Test
  void bufferReportHasExpertsAvgVarAndCharts(@TempDir Path tmp) throws Exception {
    Path dir = bufferRun(tmp.resolve("buf"));
    assertEquals(RunReport.Kind.BUFFER, RunReport.detect(dir));
    RunReport r = RunReport.write(dir);
    assertEquals(List.of(dir.resolve(BufferReport.ACCURACY_CHART),
        dir.resolve(BufferReport.AVG_VAR_CHART)), r.charts());
    for (Path png : r.charts()) {
      readPng(png);
    }
    String md = Files.readString(r.markdown());
    assertTrue(md.contains("1 of 2 experts complete, 3 epochs each, convnet-d1-w1 (7 "
        + "parameters) on tiny"), md);
    assertTrue(md.contains("| 0 | complete | 80.00 (epoch 3) | 80.00 (epoch 3) | 0.3333 | 1.0000"
        + " | 6.0 s |"), md);
    assertTrue(md.contains("| 1 | incomplete | 71.00 (epoch 2) | 71.00 (epoch 2) | 0.5000 | - "
        + "| 4.0 s |"), md);
    assertTrue(md.contains("Final test accuracy: 80.00 +- 0.00 % over 1 complete experts"), md);
    assertTrue(md.contains("Training time: 10.0 s"), md);
  }

  @Test
  void bufferReportShowsTheRecordTheRunnerWrote(@TempDir Path tmp) throws Exception {
    Path dir = bufferRun(tmp.resolve("buf"));
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("epochs", 3);
    training.put("optimizer", Map.of("name", "sgd", "lr_teacher", 1e-4));
    BufferRecord written = new BufferRecord("tiny", "normalize",
        ModelSpec.convNet(1, 1, new InputShape(2, 2, 1), 2), 2, 0, training,
        Map.of("name", "none"), 0L, new SessionOptions(2, 1, false), "test");
    Path config = Files.writeString(dir.resolve("config.json"), written.toJson());

    BufferRecord read = BufferRecord.read(config);
    assertEquals(written.toJson(), read.toJson()); // every field, as the runner wrote it
    assertEquals(written.model(), read.model());
    assertEquals(0, read.trainImages()); // "all"
    String md = Files.readString(RunReport.write(dir).markdown());
    assertTrue(md.contains("## Configuration (config.json)"), md);
    assertTrue(md.contains("| `train_images` | all |"), md);
    assertTrue(md.contains("| `model.input.channels` | 1 |"), md);
    assertTrue(md.contains("| `training.optimizer.lr_teacher` | 1.0E-4 |"), md);
    assertTrue(md.contains("| `threads.intra_op_threads` | 2 |"), md);

    // an older file without some fields: those rows are left out, not shown as null
    Files.writeString(config, "{\"command\": \"buffer\", \"dataset\": \"tiny\", "
        + "\"experts\": 2, \"train_images\": 100, \"seed\": 7}");
    md = Files.readString(RunReport.write(dir).markdown());
    assertTrue(md.contains("| `train_images` | 100 |"), md);
    assertFalse(md.contains("`preprocess`") || md.contains("null"), md);

    Files.writeString(config, "{\"command\": \"buffer\", \"train_images\": \"some\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunReport.write(dir));
    assertEquals(config + ": train_images must be a count or \"all\", got \"some\"",
        e.getMessage());
  }

  @Test
  void notARunDirectoryNamesThePathAndWhatWasExpected(@TempDir Path tmp) throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunReport.write(tmp));
    assertTrue(e.getMessage().startsWith(tmp + " is not a run directory"), e.getMessage());
    assertTrue(e.getMessage().contains("manifest.json")
        && e.getMessage().contains("\"command\": \"distill\""), e.getMessage());
    Path file = Files.writeString(tmp.resolve("x.txt"), "x");
    e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(file));
    assertTrue(e.getMessage().startsWith(file + " is not a directory"), e.getMessage());
  }

  @Test
  void corruptMetricsNamesFileAndLine(@TempDir Path tmp) throws Exception {
    Path dir = distillRun(tmp.resolve("run"));
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"iteration\":0,\"loss\":1,"
        + "\"syn_lr\":0.01}\n{\"iteration\":1, \"loss\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunReport.write(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("metrics.jsonl") + " line 2 is not JSON"),
        e.getMessage());
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"iteration\":0,\"loss\":1,"
        + "\"syn_lr\":0.01}\n{\"iteration\":1, \"lo");
    RunReport.write(dir); // an unterminated last line is still being written: left out
    assertTrue(Files.readString(dir.resolve("report.md")).contains("1 applied, 0 skipped"));
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"iteration\":0,\"loss\":\"x\"}\n");
    e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(dir));
    assertTrue(e.getMessage().contains("line 1: loss must be a number"), e.getMessage());
    Files.writeString(dir.resolve("config.json"), "{not json");
    e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + " is not valid JSON"),
        e.getMessage());
  }

  @Test
  void niceBoundsEncloseTheValuesOnRoundSteps() {
    double[] b = Charts.niceBounds(new double[] {0.0101, 0.0499});
    assertEquals(0.01, b[0], 1e-12);
    assertEquals(0.05, b[1], 1e-12);
    b = Charts.niceBounds(new double[] {0.45, 0.97});
    assertEquals(0.4, b[0], 1e-12);
    assertEquals(1.0, b[1], 1e-12);
    b = Charts.niceBounds(new double[] {3, 3});
    assertTrue(b[0] < 3 && b[1] > 3, java.util.Arrays.toString(b));
  }

  @Test
  void smoothSmallValuesAreScaledForXChartTicks() {
    double[] x = {0, 1, 2, 3};
    Charts.Series smooth = new Charts.Series("lr", x, new double[] {0.0100, 0.01012, 0.01019,
        0.01031}, Charts.Markers.NONE);
    Charts.Series noisy = new Charts.Series("loss", x, new double[] {0.9, 0.7, 0.8, 0.5},
        Charts.Markers.NONE);
    assertEquals(0, Charts.extraDecades(List.of(noisy)));
    assertEquals(1, Charts.extraDecades(List.of(smooth)));
    assertEquals(0, Charts.extraDecades(List.of(new Charts.Series("flat", x,
        new double[] {1, 1, 1, 1}, Charts.Markers.NONE))));
  }

  @Test
  void movingMeanAveragesTheLastWindow() {
    double[] m = DistillReport.movingMean(new double[] {1, 2, 3, 4}, 2);
    assertEquals(List.of(1.0, 1.5, 2.5, 3.5), List.of(m[0], m[1], m[2], m[3]));
  }
}
