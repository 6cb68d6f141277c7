package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.dd4j.monitor.EventFiles;
import org.dd4j.monitor.HParams;
import org.dd4j.monitor.Tags;
import org.dd4j.storage.SyntheticSetFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * The TensorBoard event files of a tiny run, read back with {@link EventFiles} (TensorFlow's
 * record format, TensorFlow Java's Event protos): the same figures as metrics.jsonl and
 * eval.jsonl, the image grid of syn-final.png, the hparams; a resumed run after a kill adds
 * no duplicate step; a damaged file costs {@code dd4j report} a one-line warning.
 */
class TensorBoardTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One scalar point: (tag, step) -&gt; value, and the events' images and plugin data. */
  record Points(Map<String, Map<Long, Float>> scalars, List<Summary.Value> others,
      List<String> duplicates) {}

  static Points points(Path dir) {
    Map<String, Map<Long, Float>> scalars = new TreeMap<>();
    List<Summary.Value> others = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    Map<String, List<Long>> seen = new TreeMap<>();
    for (EventFiles.Read r : EventFiles.readAll(dir)) {
      assertTrue(r.problem().isEmpty(), r.file() + ": " + r.problem());
      for (Event e : r.events()) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          List<Long> steps = seen.computeIfAbsent(v.getTag(), t -> new ArrayList<>());
          if (steps.contains(e.getStep())) {
            duplicates.add(v.getTag() + "@" + e.getStep());
          }
          steps.add(e.getStep());
          if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
            scalars.computeIfAbsent(v.getTag(), t -> new TreeMap<>())
                .put(e.getStep(), v.getSimpleValue());
          } else {
            others.add(v);
          }
        }
      }
    }
    return new Points(scalars, others, duplicates);
  }

  private static List<JsonNode> lines(Path jsonl) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(jsonl)) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  private static List<String> distill(Path buf, Path ds, Path out, int iterations,
      String... more) {
    List<String> args = new ArrayList<>(List.of("distill", "--buffer", buf.toString(),
        "--dataset", "image-folder:" + ds, "--ipc", "1", "--iterations",
        String.valueOf(iterations), "--syn-steps", "2", "--expert-epochs", "2",
        "--max-start-epoch", "1", "--lr-img", "1000", "--lr-lr", "1e-5", "--lr-teacher",
        "0.01", "--save-every", "2", "--eval-runs", "1", "--eval-epochs",
        "2", "--no-progress", "--threads", "2", "--out", out.toString()));
    args.addAll(List.of(more));
    return args;
  }

  /**
   * The per-iteration tags hold exactly metrics.jsonl's iterations and values: an applied
   * iteration's loss, syn_lr and start epoch, a skipped one's count of skips in a row.
   */
  private static void checkIterations(Points p, List<JsonNode> metrics) {
    Map<Long, Float> loss = new TreeMap<>();
    Map<Long, Float> synLr = new TreeMap<>();
    Map<Long, Float> start = new TreeMap<>();
    Map<Long, Float> skipped = new TreeMap<>();
    for (JsonNode l : metrics) {
      long it = l.get("iteration").asLong();
      if (l.has("skipped")) {
        skipped.put(it, (float) l.get("consecutive_skips").asDouble());
      } else {
        loss.put(it, (float) l.get("loss").asDouble());
        synLr.put(it, (float) l.get("syn_lr").asDouble());
        start.put(it, (float) l.get("start_epoch").asDouble());
      }
    }
    assertEquals(loss, p.scalars().getOrDefault(Tags.GRAND_LOSS, Map.of()));
    assertEquals(synLr, p.scalars().getOrDefault(Tags.SYN_LR, Map.of()));
    assertEquals(start, p.scalars().getOrDefault(Tags.START_EPOCH, Map.of()));
    assertEquals(skipped, p.scalars().getOrDefault(Tags.SKIPPED, Map.of()));
    checkTerms(p, metrics);
  }

  /** With regularizers: the objective and each term's value and weight, as metrics.jsonl. */
  private static void checkTerms(Points p, List<JsonNode> metrics) {
    Map<Long, Float> objective = new TreeMap<>();
    Map<String, Map<Long, Float>> terms = new TreeMap<>();
    for (JsonNode l : metrics) {
      if (l.has("skipped") || !l.has("regularizers")) {
        continue;
      }
      long it = l.get("iteration").asLong();
      objective.put(it, (float) l.get("objective").asDouble());
      l.get("regularizers").fields().forEachRemaining(t -> {
        terms.computeIfAbsent(Tags.REGULARIZER + t.getKey(), k -> new TreeMap<>())
            .put(it, (float) t.getValue().get("value").asDouble());
        terms.computeIfAbsent(Tags.REGULARIZER_WEIGHT + t.getKey(), k -> new TreeMap<>())
            .put(it, (float) t.getValue().get("weight").asDouble());
      });
    }
    assertEquals(objective, p.scalars().getOrDefault(Tags.OBJECTIVE, Map.of()));
    for (var e : terms.entrySet()) {
      assertEquals(e.getValue(), p.scalars().get(e.getKey()), e.getKey());
    }
  }

  @Test
  void eventFilesHoldWhatTheRunFilesHold(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path buf = tmp.resolve("buf");
    CliTest.Run b = CliTest.run("buffer", "--dataset", "image-folder:" + data, "--width", "8",
        "--experts", "1", "--epochs", "2", "--no-progress", "--threads", "2", "--out",
        buf.toString());
    assertEquals(0, b.code(), b.err());
    Path dist = tmp.resolve("dist");
    CliTest.Run d = CliTest.run(distill(buf, data, dist, 3, "--eval-every", "2",
        "--regularizer", "total-variation(weight=1e-4)").toArray(String[]::new));
    assertEquals(0, d.code(), d.err());

    // buffer: one run per expert, per epoch loss and accuracies as in metrics.jsonl
    Points bp = points(buf.resolve("tensorboard/expert-00000"));
    List<JsonNode> epochs = lines(buf.resolve("metrics.jsonl"));
    assertEquals(2, epochs.size());
    for (JsonNode l : epochs) {
      long epoch = l.get("epoch").asLong();
      assertEquals((float) l.get("test_acc").asDouble(),
          bp.scalars().get(Tags.TEST_ACC).get(epoch), 0f, l.toString());
      assertEquals((float) l.get("train_loss").asDouble(),
          bp.scalars().get(Tags.TRAIN_LOSS).get(epoch), 0f, l.toString());
    }

    Path tb = dist.resolve("tensorboard");
    Points p = points(tb);
    assertEquals(List.of(), p.duplicates());
    // per iteration: exactly metrics.jsonl's iterations and values
    List<JsonNode> metrics = lines(dist.resolve("metrics.jsonl"));
    assertEquals(3, metrics.size());
    checkIterations(p, metrics);
    long applied = metrics.stream().filter(l -> !l.has("skipped")).count();
    assertTrue(applied > 0, "no applied iteration: " + metrics);
    assertEquals(applied, p.scalars().get(Tags.OBJECTIVE).size(), "the objective per iteration");
    assertEquals(applied, p.scalars().get(Tags.REGULARIZER + "total-variation").size());
    // every evaluation: Accuracy/<arch> and Std/<arch> at eval.jsonl's iterations
    for (JsonNode l : lines(dist.resolve("eval.jsonl"))) {
      String tag = Tags.accuracy(l.get("set").asText(), l.get("model").asText());
      assertEquals((float) l.get("mean").asDouble(),
          p.scalars().get(tag).get(l.get("iteration").asLong()), 0f, tag + " " + l);
      assertEquals((float) l.get("std").asDouble(), p.scalars().get(Tags.std(l.get("set")
          .asText(), l.get("model").asText())).get(l.get("iteration").asLong()), 0f);
    }
    assertTrue(p.scalars().containsKey("Accuracy/convnet-d3-w8"), p.scalars().keySet()
        .toString());
    assertTrue(p.scalars().containsKey("Accuracy/convnet-d3-w8/random_real"),
        p.scalars().keySet().toString());

    // the last image summary is syn-final.png's grid, pixel for pixel
    Summary.Value image = p.others().stream().filter(v -> v.getTag().equals(
        Tags.SYNTHETIC_IMAGES + "/image")).reduce((a, c) -> c).orElseThrow();
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(
        image.getImage().getEncodedImageString().toByteArray()));
    BufferedImage png = ImageIO.read(dist.resolve("syn-final.png").toFile());
    assertEquals(png.getWidth(), decoded.getWidth());
    assertEquals(png.getHeight(), decoded.getHeight());
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        assertEquals(png.getRGB(x, y), decoded.getRGB(x, y), "pixel " + x + "," + y);
      }
    }
    assertEquals(SyntheticSetFile.read(dist.resolve("syn-final.arrow")).set().images().length,
        (long) p.others().stream().filter(v -> v.getTag().equals(Tags.PIXELS))
            .reduce((a, c) -> c).orElseThrow().getHisto().getNum());

    // the configuration as text and as hparams
    Summary.Value hp = p.others().stream().filter(v -> v.getTag().equals(
        HParams.SESSION_START_TAG)).findFirst().orElseThrow();
    assertEquals(HParams.PLUGIN, hp.getMetadata().getPluginData().getPluginName());
    Map<String, Object> hparams = HParams.readSessionStart(
        hp.getMetadata().getPluginData().getContent().toByteArray());
    assertEquals(1.0, hparams.get("distill.ipc"));
    assertEquals(1000.0, hparams.get("distill.lr_img"));
    assertEquals(true, hparams.get("distill.tensorboard"));
    Summary.Value text = p.others().stream().filter(v -> v.getTag().equals(Tags.CONFIG))
        .findFirst().orElseThrow();
    assertEquals("text", text.getMetadata().getPluginData().getPluginName());
    assertTrue(text.getTensor().getStringVal(0).toStringUtf8().contains("\"lr_img\""));
  }

  @Test
  void aResumedRunAfterAKillRepeatsNoStep(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path buf = tmp.resolve("buf");
    assertEquals(0, CliTest.run("buffer", "--dataset", "image-folder:" + data, "--width", "8",
        "--experts", "1", "--epochs", "2", "--no-progress", "--threads", "2", "--out",
        buf.toString()).code());
    Path dist = tmp.resolve("dist");
    assertEquals(0, CliTest.run(distill(buf, data, dist, 2).toArray(String[]::new)).code());
    byte[] checkpointAt2 = Files.readAllBytes(dist.resolve("checkpoint.bin"));
    CliTest.Run more = CliTest.run(distill(buf, data, dist, 4, "--resume")
        .toArray(String[]::new));
    assertEquals(0, more.code(), more.err());
    // the state a kill after iteration 3 leaves: events and metrics up to iteration 3, the
    // checkpoint of iteration 2, no final set, and a last record cut in half
    Files.write(dist.resolve("checkpoint.bin"), checkpointAt2);
    Files.delete(dist.resolve("syn-final.arrow"));
    List<Path> files = EventFiles.list(dist.resolve("tensorboard"));
    Path last = files.get(files.size() - 1);
    byte[] bytes = Files.readAllBytes(last);
    Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length - 7));

    CliTest.Run resumed = CliTest.run(distill(buf, data, dist, 4, "--resume")
        .toArray(String[]::new));
    assertEquals(0, resumed.code(), resumed.err());
    Points p = points(dist.resolve("tensorboard"));
    assertEquals(List.of(), p.duplicates());
    List<JsonNode> metrics = lines(dist.resolve("metrics.jsonl"));
    assertEquals(List.of(0L, 1L, 2L, 3L), metrics.stream().map(l -> l.get("iteration")
        .asLong()).toList());
    checkIterations(p, metrics);
    // evaluations after 2 (first run) and after 4 (the resumed end), each once
    assertEquals(List.of(2L, 4L), new ArrayList<>(p.scalars().get("Accuracy/convnet-d3-w8")
        .keySet()));
  }

  @Test
  void offBySettingAndAChangeDoesNotBlockReuse(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path run = tmp.resolve("run");
    List<String> args = new ArrayList<>(List.of("run", "../scripts/quickstart.exp.kts",
        "--out", run.toString(), "--no-progress", "--threads", "2",
        "--set", "dataset=image-folder:" + data, "--set", "model.width=8",
        "--set", "buffer.experts=1", "--set", "buffer.epochs=2",
        "--set", "distill.ipc=1", "--set", "distill.iterations=2",
        "--set", "distill.syn_steps=2", "--set", "distill.max_start_epoch=1",
        "--only", "buffer,distill",
        "--set", "distill.tensorboard=false"));
    CliTest.Run off = CliTest.run(args.toArray(String[]::new));
    assertEquals(0, off.code(), off.err());
    assertFalse(Files.exists(run.resolve("distill/tensorboard")));
    assertFalse(Files.exists(run.resolve("buffer/tensorboard")));
    args.set(args.size() - 1, "distill.tensorboard=true");
    CliTest.Run on = CliTest.run(args.toArray(String[]::new));
    assertEquals(0, on.code(), on.err());
    assertTrue(on.err().contains("is finished; reusing it"), on.err());
  }

  @Test
  void aDamagedEventFileCostsTheReportAWarning(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path buf = tmp.resolve("buf");
    assertEquals(0, CliTest.run("buffer", "--dataset", "image-folder:" + data, "--width", "8",
        "--experts", "1", "--epochs", "2", "--no-progress", "--threads", "2", "--out",
        buf.toString()).code());
    Path dist = tmp.resolve("dist");
    assertEquals(0, CliTest.run(distill(buf, data, dist, 2).toArray(String[]::new)).code());
    List<Path> files = EventFiles.list(dist.resolve("tensorboard"));
    byte[] bytes = Files.readAllBytes(files.get(0));
    bytes[bytes.length / 2] ^= 0x55; // a flipped byte: a checksum mismatch
    Files.write(files.get(0), bytes);
    Files.write(dist.resolve("tensorboard").resolve(EventFiles.PREFIX + "0.x.1.truncated"),
        java.util.Arrays.copyOf(bytes, 5));
    CliTest.Run r = CliTest.run("report", dist.toString());
    assertEquals(0, r.code(), r.err());
    long warnings = r.err().lines().filter(l -> l.startsWith("warning: ")
        && l.contains("tfevents")).count();
    assertEquals(2, warnings, r.err());
    assertTrue(Files.readString(dist.resolve("report.md")).contains("TensorBoard"));
  }

  @Test
  void oneSwitchForBufferAloneAndAStandaloneEvaluationWritesItsAccuracies(@TempDir Path tmp)
      throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    List<String> buffer = List.of("buffer", "--dataset", "image-folder:" + data, "--width",
        "8", "--experts", "1", "--epochs", "2", "--no-progress", "--threads", "2", "--out");
    Path off = tmp.resolve("off");
    List<String> args = new ArrayList<>(buffer);
    args.addAll(List.of(off.toString(), "--no-tensorboard"));
    CliTest.Run b = CliTest.run(args.toArray(String[]::new));
    assertEquals(0, b.code(), b.err());
    assertTrue(Files.exists(off.resolve("metrics.jsonl")));
    assertFalse(Files.exists(off.resolve("tensorboard")));
    Path buf = tmp.resolve("buf");
    args = new ArrayList<>(buffer);
    args.add(buf.toString());
    assertEquals(0, CliTest.run(args.toArray(String[]::new)).code());
    assertFalse(EventFiles.list(buf.resolve("tensorboard/expert-00000")).isEmpty());

    Path dist = tmp.resolve("dist");
    assertEquals(0, CliTest.run(distill(buf, data, dist, 2, "--no-tensorboard")
        .toArray(String[]::new)).code());
    Path out = tmp.resolve("eval");
    Files.createDirectories(out);
    Path results = out.resolve("results.jsonl");
    List<String> evaluate = List.of("evaluate", "--syn", dist.resolve("syn-final.arrow")
        .toString(), "--dataset", "image-folder:" + data, "--baseline", "none",
        "--eval-runs", "1", "--eval-epochs", "2", "--threads", "2", "--results");
    args = new ArrayList<>(evaluate);
    args.addAll(List.of(out.resolve("quiet.jsonl").toString(), "--no-tensorboard"));
    CliTest.Run quiet = CliTest.run(args.toArray(String[]::new));
    assertEquals(0, quiet.code(), quiet.err());
    assertFalse(Files.exists(out.resolve("tensorboard")));
    args = new ArrayList<>(evaluate);
    args.add(results.toString());
    CliTest.Run ev = CliTest.run(args.toArray(String[]::new));
    assertEquals(0, ev.code(), ev.err());
    List<JsonNode> rows = lines(results);
    assertEquals(1, rows.size());
    Points p = points(out.resolve("tensorboard"));
    JsonNode row = rows.get(0);
    String model = row.get("model").asText();
    // the set file records 2 iterations: the step of its accuracy
    assertEquals(Map.of(2L, (float) row.get("mean").asDouble()),
        p.scalars().get(Tags.accuracy(Tags.DISTILLED, model)), p.scalars().toString());
    assertEquals(Map.of(2L, (float) row.get("std").asDouble()),
        p.scalars().get(Tags.std(Tags.DISTILLED, model)));
  }
}
