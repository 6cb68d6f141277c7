package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dd4j.monitor.EventFiles;
import org.dd4j.report.RunComparison;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dd4j compare} on two tiny runs that differ in lr_img alone: exactly that setting is
 * shown, with each run's accuracy, syn_lr and iterations; a damaged event file costs a
 * warning.
 */
class CompareCommandTest {

  @Test
  void twoRunsDifferingInLrImgShowExactlyThatSetting(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path buf = tmp.resolve("buf");
    CliTest.Run b = CliTest.run("buffer", "--dataset", "image-folder:" + data, "--width", "8",
        "--experts", "1", "--epochs", "2", "--no-progress", "--threads", "2", "--out",
        buf.toString());
    assertEquals(0, b.code(), b.err());
    List<Path> runs = new ArrayList<>();
    for (String lr : new String[] {"100", "1000"}) {
      Path out = tmp.resolve("lr" + lr);
      CliTest.Run d = CliTest.run("distill", "--buffer", buf.toString(), "--dataset",
          "image-folder:" + data, "--ipc", "1", "--iterations", "2", "--syn-steps", "2",
          "--expert-epochs", "2", "--max-start-epoch", "1", "--lr-img", lr, "--lr-lr", "1e-5",
          "--lr-teacher", "0.01", "--eval-runs", "1", "--eval-epochs", "2", "--no-progress",
          "--threads", "2", "--out", out.toString());
      assertEquals(0, d.code(), d.err());
      runs.add(out);
    }
    // a corrupt event file in the first run: a warning, not a failure
    Path events = EventFiles.list(runs.get(0).resolve("tensorboard")).get(0);
    byte[] bytes = Files.readAllBytes(events);
    bytes[bytes.length - 3] ^= 0x55;
    Files.write(events, bytes);

    Path out = tmp.resolve("cmp");
    CliTest.Run c = CliTest.run("compare", runs.get(0).toString(), runs.get(1).toString(),
        "--out", out.toString());
    assertEquals(0, c.code(), c.err());
    System.out.println(c.out());
    assertEquals(1, c.err().lines().filter(l -> l.startsWith("warning: ")
        && l.contains(events.getFileName().toString())).count(), c.err());

    RunComparison r = RunComparison.of(runs);
    assertEquals(List.of("distill.lr_img"), r.differing());
    String header = c.out().lines().findFirst().orElseThrow();
    assertTrue(header.startsWith("| run | distill.lr_img | distilled convnet-d3-w8 (%) |"),
        header);
    assertTrue(header.endsWith("| syn_lr | iterations | seconds |"), header);

    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(out.resolve(RunComparison.JSONL));
    assertEquals(2, lines.size());
    for (int i = 0; i < 2; i++) {
      JsonNode l = json.readTree(lines.get(i));
      assertEquals(runs.get(i).toString(), l.get("run").asText());
      assertEquals(1, l.get("settings").size());
      assertEquals(i == 0 ? 100.0 : 1000.0, l.get("settings").get("distill.lr_img")
          .asDouble());
      assertEquals(2, l.get("iterations").asInt());
      JsonNode final0 = l.get("accuracy").get("distilled convnet-d3-w8");
      JsonNode last = null;
      for (String e : Files.readAllLines(runs.get(i).resolve("eval.jsonl"))) {
        JsonNode row = json.readTree(e);
        if (row.get("set").asText().equals("distilled")) {
          last = row;
        }
      }
      assertEquals(last.get("mean").asDouble(), final0.get("mean").asDouble());
      assertEquals(last.get("std").asDouble(), final0.get("std").asDouble());
    }
    assertTrue(Files.size(out.resolve(RunComparison.CHART)) > 0);
    assertTrue(Files.readString(out.resolve(RunComparison.MARKDOWN)).contains("| 2 |"));

    CliTest.Run bad = CliTest.run("compare", tmp.resolve("data").toString());
    assertEquals(2, bad.code());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
  }
}
