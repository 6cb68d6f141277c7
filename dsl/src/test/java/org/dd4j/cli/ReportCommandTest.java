package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dd4j.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

  @Test
  void notARunDirectoryIsOneClearLine(@TempDir Path tmp) {
    Run r = CliTest.run("report", tmp.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("dd4j report: " + tmp + " is not a run directory"), r.err());
    assertTrue(r.err().contains("manifest.json"), r.err());
    assertFalse(Files.exists(tmp.resolve("report.md")));
  }

  @Test
  void writesTheReportOfADistillRun(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("config.json"), "{\"command\": \"distill\"}");
    Files.writeString(tmp.resolve("metrics.jsonl"),
        "{\"iteration\":0,\"loss\":0.9,\"syn_lr\":0.01,\"seconds\":1.0}\n"
            + "{\"iteration\":1,\"loss\":0.8,\"syn_lr\":0.011,\"seconds\":1.0}\n");
    Run r = CliTest.run("report", tmp.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("report: " + tmp.resolve("report.md")), r.out());
    assertTrue(r.out().contains("chart-loss.png chart-syn-lr.png"), r.out());
    assertTrue(Files.readString(tmp.resolve("report.md")).contains("No evaluation yet"));
  }
}
