package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that writes a run directory (run, buffer, distill, sweep) or an evaluation's
 * --results file takes its lock before writing: while another writer holds it the command
 * stops with one line naming the directory and the holder, exit 2, and writes nothing.
 * (Two real processes: {@code org.dd4j.storage.RunLockTest}.)
 */
class RunLockCommandsTest {

  static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  static void assertRefused(Path locked, Path dir, String... args) throws Exception {
    List<String> before = files(dir);
    CliTest.Run r = CliTest.run(args);
    assertEquals(2, r.code(), args[0] + ": " + r.err());
    List<String> lines = r.err().strip().lines().toList(); // run and sweep: "script ready"
    String line = lines.get(lines.size() - 1);
    assertTrue(line.startsWith("dd4j " + args[0] + ": " + locked + " is in use by another "
        + "dd4j run (pid " + ProcessHandle.current().pid() + " on "), line);
    assertEquals(before, files(dir), args[0] + " wrote nothing");
  }

  @Test
  void eachWritingCommandIsRefusedWhileTheDirectoryIsHeld(@TempDir Path tmp)
      throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    String ds = "image-folder:" + data;
    Path buf = tmp.resolve("buf");
    CliTest.Run b = CliTest.run("buffer", "--dataset", ds, "--depth", "1", "--width", "4",
        "--experts", "1", "--epochs", "1", "--no-progress", "--threads", "1", "--out",
        buf.toString());
    assertEquals(0, b.code(), b.err());
    assertFalse(Files.exists(RunLayout.lockIn(buf)), "released and deleted at the end");

    try (RunLock held = RunLock.acquire(buf)) {
      assertRefused(buf, buf, "buffer", "--dataset", ds, "--depth", "1", "--width", "4",
          "--experts", "2", "--epochs", "1", "--no-progress", "--out", buf.toString());
    }
    Path dist = tmp.resolve("dist");
    try (RunLock held = RunLock.acquire(dist)) {
      assertRefused(dist, dist, "distill", "--buffer", buf.toString(), "--dataset", ds,
          "--ipc", "1", "--iterations", "1", "--syn-steps", "1", "--max-start-epoch", "1",
          "--no-progress", "--out", dist.toString());
    }
    Path run = tmp.resolve("run");
    try (RunLock held = RunLock.acquire(run)) {
      assertRefused(run, run, "run", "../scripts/quickstart.exp.kts", "--out", run.toString(),
          "--set", "dataset=" + ds, "--no-progress");
    }
    Path sweep = tmp.resolve("sweep");
    try (RunLock held = RunLock.acquire(sweep)) {
      assertRefused(sweep, sweep, "sweep", "../scripts/sweep-fmnist.exp.kts", "--out",
          sweep.toString(), "--set", "dataset=" + ds, "--no-progress");
    }
    Path results = tmp.resolve("eval").resolve("results.jsonl");
    try (RunLock held = RunLock.acquireFile(results)) {
      assertRefused(results, results.getParent(), "evaluate", "--dataset", ds, "--ipc", "1",
          "--width", "4", "--eval-runs", "1", "--eval-epochs", "1", "--results",
          results.toString());
    }
    assertFalse(Files.exists(results));
  }
}
