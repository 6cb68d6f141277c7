package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per run directory, with real processes: a second JVM ({@link RunLockHolder})
 * holds a directory, and this JVM and a third process are refused with the holder's pid,
 * host and start time; after {@code kill -9} of the holder the directory is free at once.
 */
class RunLockTest {

  static Process start(String mode, Path dir) throws IOException {
    String cp = System.getProperty("surefire.test.class.path");
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
        cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path"),
        RunLockHolder.class.getName(), mode, dir.toString()).redirectErrorStream(true).start();
  }

  static String output(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @Timeout(60)
  void aSecondWriterIsRefusedAndAKilledHolderBlocksNothing(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("run");
    Process holder = start("hold", dir);
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(),
          StandardCharsets.UTF_8));
      assertEquals("locked", lines.readLine());
      String holding = "pid " + holder.pid() + " on ";

      // another process: refused at once, exit 2, one line naming the directory and holder
      Process second = start("try", dir);
      String refusal = output(second);
      assertEquals(2, second.waitFor(), refusal);
      System.out.println("second process (exit 2): " + refusal);
      assertFalse(refusal.contains("\n"), refusal);
      assertTrue(refusal.startsWith(dir + " is in use by another dd4j run (" + holding)
          && refusal.matches(".* since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\).*"),
          refusal);

      // this JVM: refused too, and the refusal leaves the holder's lock in place
      RunLockedException here = assertThrows(RunLockedException.class,
          () -> RunLock.acquire(dir));
      assertTrue(here.getMessage().contains(holding), here.getMessage());
      assertEquals(List.of(RunLayout.LOCK), files(dir), "the refused writers wrote nothing");

      holder.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
      holder.waitFor();
      assertTrue(Files.exists(RunLayout.lockIn(dir)), "the killed holder's file stays");
      System.out.println("after kill -9 of pid " + holder.pid() + ": "
          + Files.readString(RunLayout.lockIn(dir)).strip() + " (stale)");
      try (RunLock lock = RunLock.acquire(dir)) {
        System.out.println("this JVM (pid " + ProcessHandle.current().pid() + ") then "
            + "acquired " + lock.file());
        // while this JVM holds it, a second JVM is refused, naming this process
        Process third = start("try", dir);
        String again = output(third);
        assertEquals(2, third.waitFor(), again);
        assertTrue(again.contains("pid " + ProcessHandle.current().pid() + " on "), again);
      }
      assertEquals(List.of(), files(dir), "a clean release deletes the lock file");
      Process fourth = start("try", dir);
      assertEquals("acquired", output(fourth));
      assertEquals(0, fourth.waitFor());
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void twoWritersInOneJvmAndAResultsFile(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("d");
    try (RunLock first = RunLock.acquire(dir)) {
      RunLockedException e = assertThrows(RunLockedException.class,
          () -> RunLock.acquire(dir));
      assertTrue(e.getMessage().contains(dir + " is in use by another dd4j run (pid "
          + ProcessHandle.current().pid()), e.getMessage());
      // a path of the same directory through "..": the same lock
      assertThrows(RunLockedException.class,
          () -> RunLock.acquire(dir.resolve("x").resolve("..")));
    }
    try (RunLock again = RunLock.acquire(dir)) {
      assertEquals(RunLayout.lockIn(dir), again.file());
    }
    Path results = tmp.resolve("out").resolve("results.jsonl");
    try (RunLock r = RunLock.acquireFile(results)) {
      assertEquals(tmp.resolve("out").resolve(".results.jsonl" + RunLayout.LOCK), r.file());
      assertThrows(RunLockedException.class, () -> RunLock.acquireFile(results));
      RunLock.acquireFile(tmp.resolve("out").resolve("other.jsonl")).close();
    }
    assertFalse(Files.exists(results), "the lock never creates the results file");
  }
}
