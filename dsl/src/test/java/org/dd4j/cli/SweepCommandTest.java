package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dd4j.sweep.SweepTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dd4j sweep} with a point that works and a point that fails: the sweep finishes both,
 * ranks the good one first, names the failure as it happened ("error: ..." with the message,
 * not "diverged") and exits 1.
 */
class SweepCommandTest {

  @Test
  void aFailedPointIsNamedAndFailsTheSweep(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path out = tmp.resolve("sweep");
    // the tiny set has 24 training images per class: ipc 1 works, ipc 30 fails in its point
    CliTest.Run r = CliTest.run("sweep", "../scripts/sweep-fmnist.exp.kts", "--out",
        out.toString(), "--no-progress", "--threads", "1",
        "--set", "dataset=image-folder:" + data, "--set", "model.width=4",
        "--set", "model.depth=1", "--set", "buffer.experts=1", "--set", "buffer.epochs=2",
        "--set", "buffer.train_images=0", "--set", "distill.iterations=1",
        "--grid", "distill.lr_img=100", "--grid", "distill.syn_steps=1", "--set", "evaluate.runs=1",
        "--set", "evaluate.epochs=1", "--grid", "distill.ipc=1,30", "--set", "distill.max_start_epoch=1");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("sweep: 1 of 2 points failed"), r.err());
    List<String> rows = Files.readAllLines(out.resolve(SweepTable.MARKDOWN)).stream()
        .filter(l -> l.matches("\\| [0-9].*")).toList();
    assertEquals(2, rows.size(), rows.toString());
    assertTrue(rows.get(0).contains(" % (1 runs, "), rows.get(0));
    List<JsonNode> lines = Files.readAllLines(out.resolve(SweepTable.JSONL)).stream()
        .map(SweepCommandTest::json).toList();
    // the method label is the one the point's config.json records (issue 20: every table)
    String method = json(Files.readString(out.resolve("point-00").resolve("distill")
        .resolve("config.json"))).get("method").asText();
    assertTrue(!method.isEmpty(), "point-00's config.json has no method label");
    assertEquals(method, lines.get(0).get("method").asText(), lines.get(0).toString());
    assertEquals(method, lines.get(1).get("method").asText(), lines.get(1).toString());
    assertTrue(rows.get(0).startsWith("| 1 | 0 | lr_img=100 syn_steps=1 ipc=1 | " + method
        + " | "), rows.get(0));
    assertTrue(rows.get(1).startsWith("| 2 | 1 | lr_img=100 syn_steps=1 ipc=30 | " + method
        + " | error: "), rows.get(1));
    assertTrue(rows.get(1).contains("30"), rows.get(1));
    assertTrue(lines.get(0).get("failure").isNull(), lines.get(0).toString());
    assertTrue(lines.get(1).get("failure").asText().startsWith("error: "),
        lines.get(1).toString());
    assertTrue(Files.readString(out.resolve("point-01").resolve("task.log"))
        .contains("at org.dd4j."), "the stack trace is in the point's log");
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (Exception e) {
      throw new IllegalArgumentException(line, e);
    }
  }
}
