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
import org.dd4j.buffer.Augmentation;
import org.dd4j.buffer.BufferConfig;
import org.dd4j.buffer.BufferPhase;
import org.dd4j.buffer.ExpertTraining;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.models.ConvNet;
import org.dd4j.storage.BufferDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DistillPhase on DistillerTest's toy: unusable expert files. */
class DistillPhaseTest {

  @TempDir
  static Path dir;
  static PreprocessingKinds.Prepared prepared;
  static BufferDirectory buffer;

  @BeforeAll
  static void trainBuffer() {
    Dataset data = new Dataset("bands", DistillerTest.bands(256, 1),
        DistillerTest.bands(64, 2), List.of("a", "b", "c", "d"));
    prepared = PreprocessingKinds.prepare(data, "none");
    var training = new ExpertTraining(4, 64, 0.1, 1, new long[0], 0, 0, false);
    var config = new BufferConfig(DistillerTest.SPEC, "bands", Map.of("kind", "none"),
        training, 2, 42);
    buffer = new BufferPhase(config, Augmentation.none(), SessionOptions.threads(2))
        .run(data, dir.resolve("buf"), List.of());
  }

  static DistillPhase phase(int iterations) {
    DistillConfig config = DistillerTest.toy().iterations(iterations).build();
    return new DistillPhase(new ConvNet(DistillerTest.SPEC), config, EvalConfig.mtt(1),
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
            Map.of(), new PrintWriter(log)));
    assertTrue(e.getMessage().contains("1 of 2 expert files are unusable: expert 1 ("
        + expert1 + "): is not a complete Arrow IPC file"), e.getMessage());
    assertTrue(log.toString().startsWith("skipping expert 1 (" + expert1 + "): is not a"
        + " complete Arrow IPC file"), log.toString());
    assertTrue(!Files.exists(run), "nothing written before the check");

    StringWriter log1 = new StringWriter();
    Path run1 = dir.resolve("run-min1");
    phase(2).run(prepared, cut, run1, new DistillPhase.Options(2, 0, false, false, 1),
        Map.of(), new PrintWriter(log1));
    assertTrue(log1.toString().startsWith("skipping expert 1 (" + expert1 + "): "),
        log1.toString());
    assertTrue(log1.toString().contains("(buffer " + buf + ", 1 experts)"), log1.toString());
    for (String line : Files.readAllLines(run1.resolve("metrics.jsonl"))) {
      assertEquals(0, new ObjectMapper().readTree(line).get("expert").asInt(), line);
    }
  }
}
