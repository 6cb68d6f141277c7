package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.storage.BufferDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DistillPhase on DistillerTest's toy: unusable expert files, and metrics across a resume. */
class DistillPhaseTest {

  @TempDir
  static Path dir;
  static PreprocessingKinds.Prepared prepared;
  static BufferDirectory buffer;

  @BeforeAll
  static void trainBuffer() {
    Dataset data = DistillerTest.toyData();
    prepared = PreprocessingKinds.prepare(data, "none");
    buffer = DistillerTest.toyBuffer(data, dir.resolve("buf"));
  }

  static DistillPhase phase(int iterations) {
    return phase(iterations, 0);
  }

  static DistillPhase phase(int iterations, int minExperts) {
    DistillConfig config = DistillerTest.toy().iterations(iterations)
        .set(DistillConfig.MIN_EXPERTS, minExperts).build();
    return new DistillPhase(new ConvNet(DistillerTest.SPEC), config,
        SessionOptions.threads(2));
  }

  /**
   * One of two experts cut in half: by default the run stops before touching the run
   * directory, naming the file and why; with minExperts = 1 it distils from the other expert
   * and logs the skip.
   */
  @Test
  void truncatedExpertFailsByDefaultAndIsSkippedWithMinExperts() throws IOException {
    Path buf = dir.resolve("cut");
    for (int i = 0; i < 2; i++) {
      Files.createDirectories(buf);
      Files.copy(buffer.expertPath(i), buf.resolve(buffer.expertPath(i).getFileName()));
    }
    Files.copy(buffer.root().resolve(BufferDirectory.MANIFEST_FILE),
        buf.resolve(BufferDirectory.MANIFEST_FILE));
    Path expert1 = buf.resolve("expert-00001.arrow");
    byte[] bytes = Files.readAllBytes(expert1);
    Files.write(expert1, Arrays.copyOf(bytes, bytes.length / 2));
    BufferDirectory cut = BufferDirectory.open(buf);

    StringWriter log = new StringWriter();
    Path run = dir.resolve("run-default");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> phase(2).run(prepared, cut, run, new DistillPhase.Options(2, 0, false, false),
            Map.of(), new PrintWriter(log), List.of()));
    assertTrue(e.getMessage().contains("1 of 2 expert files are unusable: expert 1 ("
        + expert1 + "): is not a complete Arrow IPC file"), e.getMessage());
    assertTrue(log.toString().startsWith("skipping expert 1 (" + expert1 + "): is not a"
        + " complete Arrow IPC file"), log.toString());
    assertTrue(!Files.exists(run), "nothing written before the check");

    StringWriter log1 = new StringWriter();
    Path run1 = dir.resolve("run-min1");
    phase(2, 1).run(prepared, cut, run1, new DistillPhase.Options(2, 0, false, false),
        Map.of(), new PrintWriter(log1), List.of());
    assertTrue(log1.toString().startsWith("skipping expert 1 (" + expert1 + "): "),
        log1.toString());
    assertTrue(log1.toString().contains("(buffer " + buf + ", 1 experts)"), log1.toString());
    for (String line : Files.readAllLines(run1.resolve("metrics.jsonl"))) {
      assertEquals(0, new ObjectMapper().readTree(line).get("expert").asInt(), line);
    }
  }

  /**
   * A run killed after iteration 2 with a checkpoint at iteration 2 has metrics lines for
   * iterations 0..2; the resume redoes iteration 2 and the file ends with exactly one line per
   * iteration 0..3, in order.
   */
  @Test
  void resumeKeepsOneMetricsLinePerIteration() throws IOException {
    Path run = dir.resolve("resumed");
    Files.createDirectories(run);
    DistillConfig config = DistillerTest.toy().iterations(4).build();
    DistillListener killer = new DistillListener() {
      @Override
      public void onIteration(IterationResult r) {
        if (r.iteration() == 2) {
          throw new DistillerCheckpointTest.Kill();
        }
      }
    };
    try (Distiller d = new Distiller(new ConvNet(DistillerTest.SPEC), config,
        SessionOptions.threads(2))) {
      List<DistillListener> listeners = List.of(
          new DistillMetricsFile(run.resolve("metrics.jsonl")), killer);
      assertThrows(DistillerCheckpointTest.Kill.class, () -> d.run(buffer,
          d.start(d.initialSet(prepared.data())), listeners,
          CheckpointPolicy.inRunDirectory(run, 2)));
    }
    assertEquals(List.of(0, 1, 2), iterations(run));

    // the attached listener is told of each evaluation point before the last iteration
    List<Integer> points = new java.util.ArrayList<>();
    DistillListener evaluation = new DistillListener() {
      @Override
      public void onEvaluationPoint(int iteration, org.dd4j.synthetic.SyntheticSet set,
          java.util.Optional<org.dd4j.synthetic.SyntheticSet> ema) {
        points.add(iteration);
        assertEquals(ema.isPresent(), false);
      }
    };
    phase(4).run(prepared, buffer, run, new DistillPhase.Options(2, 1, true, false), Map.of(),
        new PrintWriter(new StringWriter()), List.of(evaluation));
    assertEquals(List.of(0, 1, 2, 3), iterations(run));
    assertEquals(List.of(3), points);
  }

  @Test
  void dropFromRewritesOnlyWhenALineGoes() throws IOException {
    Path f = dir.resolve("m.jsonl");
    assertEquals(0, DistillMetricsFile.dropFrom(f, 0));
    assertTrue(!Files.exists(f));
    Files.writeString(f, "{\"iteration\":0}\n{\"iteration\":1,\"skipped\":\"loss is NaN\"}\n"
        + "{\"iteration\":2}\n");
    assertEquals(0, DistillMetricsFile.dropFrom(f, 3));
    assertEquals(2, DistillMetricsFile.dropFrom(f, 1));
    assertEquals("{\"iteration\":0}\n", Files.readString(f));
    Files.writeString(f, "{\"iteration\":0}\nnot json\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DistillMetricsFile.dropFrom(f, 0));
    assertTrue(e.getMessage().startsWith(f + ":2: not a metrics line"), e.getMessage());
  }

  private static List<Integer> iterations(Path run) throws IOException {
    ObjectMapper json = new ObjectMapper();
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(l -> {
          try {
            return json.readTree(l).get("iteration").asInt();
          } catch (IOException ex) {
            throw new AssertionError(l, ex);
          }
        }).toList();
  }
}
