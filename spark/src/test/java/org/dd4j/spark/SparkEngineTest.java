package org.dd4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.dd4j.cli.Dd4j;
import org.dd4j.distribute.Engine;
import org.dd4j.distribute.EngineChoice;
import org.dd4j.distribute.UnitContext;
import org.dd4j.distribute.UnitFailedException;
import org.dd4j.distribute.WorkUnit;
import org.dd4j.dsl.ScriptSource;
import org.dd4j.engine.SessionOptions;
import org.dd4j.experiment.ExperimentRunner;
import org.dd4j.experiment.Phase;
import org.dd4j.models.InputShape;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded engine ({@code local[2]}, what CI runs): a distributed buffer equals the local
 * one byte for byte, complete experts are not scheduled again, and a failing unit reaches the
 * user with its label.
 */
class SparkEngineTest {

  @TempDir static Path tmp;
  static ScriptSource script;
  static Path localBuffer;
  static StringWriter logText = new StringWriter();
  static PrintWriter log = new PrintWriter(logText, true);

  static ScriptSource tinyScript() {
    try {
      return ScriptSource.of(Path.of(SparkEngineTest.class.getResource("/tiny.exp.kts")
          .toURI()), Map.of());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The buffer phase of the tiny script into {@code root/buffer}, on {@code engine}. */
  static Path buffer(Engine engine, Path root) {
    new ExperimentRunner(SessionOptions.threads(1), log).withEngine(engine, script)
        .run(script.load(), RunLayout.experiment(root), new ExperimentRunner.Options(
            EnumSet.of(Phase.BUFFER), Set.of(), ExperimentRunner.Existing.REUSE_IF_UNCHANGED,
            false), Map.of());
    return RunLayout.experiment(root).buffer().dir();
  }

  @BeforeAll
  static void trainLocally() {
    script = tinyScript();
    try (Engine local = Engine.create(EngineChoice.local(), 1, log, false)) {
      localBuffer = buffer(local, tmp.resolve("local"));
    }
  }

  static void assertSameExperts(Path expected, Path actual, int experts) throws IOException {
    for (int i = 0; i < experts; i++) {
      String name = String.format("expert-%05d.arrow", i);
      byte[] want = Files.readAllBytes(expected.resolve(name));
      byte[] got = Files.readAllBytes(actual.resolve(name));
      int at = java.util.Arrays.mismatch(want, got);
      if (at >= 0) { // the text around the first difference, mostly the JSON metadata
        fail(name + " differs from the local one at byte " + at + " (of " + want.length
            + " / " + got.length + "):\n local: " + around(want, at) + "\n other: "
            + around(got, at));
      }
    }
  }

  static String around(byte[] b, int at) {
    int from = Math.max(0, at - 120);
    return new String(b, from, Math.min(b.length, at + 120) - from,
        java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
  }

  /** Everything under {@code dir}, relative, sorted. */
  static Set<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      Set<String> out = new TreeSet<>();
      s.filter(p -> !p.equals(dir)).forEach(p -> out.add(dir.relativize(p).toString()));
      return out;
    }
  }

  @Test
  @Timeout(240)
  void embeddedBufferEqualsTheLocalOneAndSkipsCompleteExperts() throws IOException {
    Path root = tmp.resolve("embedded");
    Path buf = RunLayout.experiment(root).buffer().dir();
    // expert 0 is already complete: only 1 and 2 are scheduled
    Files.createDirectories(buf);
    Files.copy(localBuffer.resolve("expert-00000.arrow"), buf.resolve("expert-00000.arrow"));
    try (Engine spark = Engine.create(new EngineChoice("spark", "local[2]"), 1, log, false)) {
      assertTrue(spark.distributed());
      buffer(spark, root);
    }
    assertSameExperts(localBuffer, buf, 3);
    Set<String> files = files(buf);
    assertFalse(files.contains("logs/expert-00000.log"), "expert 0 was rescheduled: " + files);
    assertTrue(files.contains("logs/expert-00001.log") && files.contains("logs/expert-00002.log"),
        files.toString());
    assertTrue(files.stream().noneMatch(f -> f.startsWith(".") || f.endsWith(".tmp")),
        files.toString());
    assertEquals(4, Files.readAllLines(buf.resolve("metrics.jsonl")).size(),
        "2 epochs of experts 1 and 2 in metrics.jsonl, one line each");
  }

  /**
   * One task per (set, architecture, network): a soft-label synthetic set and the random
   * baseline on two architectures, 2 networks each, give the same rows on embedded local[2]
   * as on the local engine, and each network's log is beside the results.
   */
  @Test
  @Timeout(240)
  void distributedEvaluationEqualsTheLocalOne() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("eval"));
    SplittableRandom rng = new SplittableRandom(5);
    SyntheticSet noise = SyntheticSet.initNoise(new InputShape(28, 28, 1), 10, 1, 0.01, rng);
    float[] logits = new float[10 * 10];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) rng.nextGaussian();
    }
    Path syn = dir.resolve("syn.arrow");
    SyntheticSetFile.write(syn, noise.withLabelLogits(logits), 3, Map.of(), Map.of());
    Map<String, List<String>> rows = new java.util.LinkedHashMap<>();
    for (String engine : List.of("local", "spark")) {
      Path results = dir.resolve(engine).resolve("results.jsonl");
      Files.createDirectories(results.getParent());
      int rc = Dd4j.commandLine().execute("evaluate", "--syn", syn.toString(), "--models",
          "convnet,convnet-d1", "--width", "8", "--eval-runs", "2", "--eval-epochs", "2",
          "--threads", "1", "--results", results.toString(), "--engine", engine,
          "--master", "local[2]");
      assertEquals(0, rc, engine);
      rows.put(engine, Files.readAllLines(results));
    }
    assertEquals(4, rows.get("local").size(), "2 sets x 2 architectures: " + rows);
    assertEquals(rows.get("local"), rows.get("spark"));
    assertTrue(rows.get("spark").get(0).contains("\"labels\":\"soft\""), rows.toString());
    try (Stream<Path> logs = Files.list(dir.resolve("spark").resolve("logs"))) {
      assertEquals(8, logs.filter(f -> f.getFileName().toString().startsWith("eval-")).count(),
          "a log per network");
    }
  }

  /** A unit that fails, to see its label in the error. */
  record Failing(String dir) implements WorkUnit<Integer>, Serializable {
    @Override
    public String label() {
      return "expert 17";
    }

    @Override
    public String logFile() {
      return dir + "/expert-17.log";
    }

    @Override
    public Integer run(UnitContext context) {
      throw new IllegalStateException("loss is NaN at epoch 3");
    }
  }

  @Test
  @Timeout(120)
  void aFailedUnitIsReportedWithItsLabelAndLog() throws IOException {
    Path dir = tmp.resolve("failing");
    UnitFailedException e;
    try (Engine spark = Engine.create(new EngineChoice("spark", "local[1]"), 1, log, false)) {
      e = assertThrows(UnitFailedException.class,
          () -> spark.run("failing", List.of(new Failing(dir.toString()))));
    }
    assertEquals("expert 17: loss is NaN at epoch 3", e.getMessage());
    assertTrue(Files.readString(dir.resolve("expert-17.log")).contains("loss is NaN"));
  }

  @AfterAll
  static void showLog() {
    System.err.println(logText);
  }

  /** All of the test classpath, for executors started by a standalone Worker. */
  static String testClasspath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  static List<String> split(String flags) {
    List<String> out = new ArrayList<>();
    for (String f : flags.trim().split("\\s+")) {
      if (!f.isBlank()) {
        out.add(f);
      }
    }
    return out;
  }
}
