package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run path: {@code dd4j run scripts/quickstart.exp.kts} and the equivalent {@code dd4j
 * buffer} + {@code dd4j distill} write the same files, and the distill report is complete
 * either way; a re-run reuses a phase only while its settings are unchanged.
 */
class RunPathsTest {

  /** quickstart.exp.kts at the CI's tiny size, on the tiny image folder. */
  private static List<String> quickstart(Path data, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "../scripts/quickstart.exp.kts",
        "--out", out.toString(), "--no-progress", "--threads", "2",
        "--set", "dataset=image-folder:" + data, "--set", "model.width=8",
        "--set", "buffer.experts=1", "--set", "buffer.epochs=2",
        "--set", "distill.ipc=1", "--set", "distill.iterations=3",
        "--set", "distill.syn_steps=2", "--set", "distill.max_start_epoch=1",
        "--set", "distill.save_every=2",
        "--set", "evaluate.runs=1", "--set", "evaluate.epochs=2"));
    args.addAll(List.of(more));
    return args;
  }

  /**
   * A file's contents up to what may differ between two runs of the same experiment: the seconds
   * things took and the speed (metrics.jsonl, report.md), where the run's directories are (paths
   * and directory names), and the experiment's name (the script's or the directory's). JSON Lines
   * and JSON files are compared value by value without their "seconds"; a synthetic set by its
   * images, labels and syn_lr; an expert file by its snapshots.
   */
  private static List<String> contents(Path file, List<String> names) throws Exception {
    String f = file.getFileName().toString();
    if (Files.isDirectory(file)) { // tensorboard/: its scalars, without the wall-clock ones
      List<String> out = new ArrayList<>();
      try (Stream<Path> dirs = Files.walk(file)) {
        for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
          TensorBoardTest.points(d).scalars().forEach((tag, points) -> {
            if (!tag.equals(org.dd4j.monitor.Tags.SECONDS)) {
              out.add(file.relativize(d) + " " + tag + " " + points);
            }
          });
        }
      }
      return out;
    }
    if (f.endsWith(".png") || f.equals("checkpoint.bin")) {
      return List.of(); // pictures of the arrays compared below; the checkpoint is their state
    }
    if (f.startsWith("syn-") && f.endsWith(".arrow")) {
      var set = org.dd4j.storage.SyntheticSetFile.read(file).set();
      return List.of(java.util.Arrays.toString(set.images()),
          java.util.Arrays.toString(set.labels()), String.valueOf(set.synLr()));
    }
    if (f.startsWith("expert-") && f.endsWith(".arrow")) {
      List<String> out = new ArrayList<>();
      try (var r = org.dd4j.storage.TrajectoryReader.open(file)) {
        for (int t = 0; t < r.numSnapshots(); t++) {
          out.add(java.util.Arrays.toString(r.snapshot(t)));
        }
      }
      return out;
    }
    List<String> out = new ArrayList<>();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : Files.readAllLines(file)) {
      String l = line;
      for (String name : names) {
        l = l.replace(name, "NAME");
      }
      if (f.equals("summary.md") && l.startsWith("# ") && l.contains(" (")) {
        l = "# NAME" + l.substring(l.indexOf(" (")); // "# quickstart (mtt)": the run's name
      }
      if (f.endsWith(".jsonl")) {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(l);
        node.remove(List.of("seconds", "images_per_second"));
        l = node.toString();
      } else if (f.equals("report.md")) {
        if (l.contains(" s in all") || l.contains("seconds") || l.contains("per second")
            || l.contains("images/s")) {
          continue; // how long it took
        }
        l = l.replaceAll("\\b\\d+(\\.\\d+)? s\\b", "T s"); // a training time in a table
      }
      out.add(l);
    }
    return out;
  }

  private static Set<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void runAndThePhaseCommandsWriteTheSameFiles(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path run = tmp.resolve("run");
    CliTest.Run r = CliTest.run(quickstart(data, run).toArray(String[]::new));
    assertEquals(0, r.code(), r.err());

    // the same experiment through the phase commands (quickstart: ConvNet-3, lr 0.01,
    // batch 256, DSA; distill N, M, T+ and lr as overridden above)
    String ds = "image-folder:" + data;
    Path buf = tmp.resolve("buf");
    Path dist = tmp.resolve("dist");
    CliTest.Run b = CliTest.run("buffer", "--dataset", ds, "--depth", "3", "--width", "8",
        "--experts", "1", "--epochs", "2", "--lr-teacher", "0.01", "--no-progress",
        "--threads", "2", "--out", buf.toString());
    assertEquals(0, b.code(), b.err());
    CliTest.Run d = CliTest.run("distill", "--buffer", buf.toString(), "--dataset", ds,
        "--ipc", "1", "--iterations", "3", "--syn-steps", "2", "--expert-epochs", "2",
        "--max-start-epoch", "1", "--lr-img", "1000", "--lr-lr", "1e-5", "--lr-teacher",
        "0.01", "--save-every", "2", "--eval-runs", "1", "--eval-epochs", "2",
        "--no-progress", "--threads", "2", "--out", dist.toString());
    assertEquals(0, d.code(), d.err());

    Set<String> runBuffer = files(run.resolve("buffer"));
    Set<String> runDistill = files(run.resolve("distill"));
    System.out.println("dd4j run:    buffer/ " + runBuffer + "\n             distill/ "
        + runDistill);
    System.out.println("dd4j buffer: " + files(buf) + "\ndd4j distill: " + files(dist));
    assertEquals(runBuffer, files(buf));
    assertEquals(runDistill, files(dist));
    // issue 20: the same contents too, up to timings, paths and the experiment's name
    List<String> names = List.of(run.resolve("buffer").toAbsolutePath().toString(),
        run.resolve("distill").toAbsolutePath().toString(), buf.toAbsolutePath().toString(),
        dist.toAbsolutePath().toString(), "quickstart", "`dist`", "`distill`",
        "report: buffer", "report: buf", "report: distill", "report: dist");
    for (String f : runBuffer) {
      assertEquals(contents(run.resolve("buffer").resolve(f), names),
          contents(buf.resolve(f), names), "buffer/" + f);
    }
    for (String f : runDistill) {
      assertEquals(contents(run.resolve("distill").resolve(f), names),
          contents(dist.resolve(f), names), "distill/" + f);
    }
    for (String f : new String[] {"config.json", "metrics.jsonl", "checkpoint.bin",
        "syn-latest.arrow", "syn-final.arrow", "syn-final.png", "eval.jsonl", "summary.md",
        "report.md"}) {
      assertTrue(runDistill.contains(f), f + " missing: " + runDistill);
    }
    assertEquals(Set.of("experiment.json", "buffer", "distill"), files(run));

    for (Path dir : new Path[] {run.resolve("distill"), dist}) {
      String report = Files.readString(dir.resolve("report.md"));
      String intro = report.lines().filter(l -> l.startsWith("MTT on ")).findFirst()
          .orElse("");
      assertTrue(intro.contains("ipc 1, 3 iterations") && intro.contains("convnet-d3-w8"),
          dir + ": " + intro);
      assertFalse(report.contains("?"), dir + " report has a placeholder:\n" + report);
      assertFalse(report.contains("No evaluation yet"), report);
      assertTrue(report.contains("| iteration | set | lr | test accuracy (%) | networks |"),
          report);
      assertTrue(report.contains("| 3 | distilled |") && report.contains("| 3 | random real"),
          report);
      assertTrue(report.contains("distilled") && report.contains("vs random real"), report);
    }
  }

  @Test
  void reRunReusesOnlyUnchangedPhases(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path run = tmp.resolve("run");
    CliTest.Run first = CliTest.run(quickstart(data, run, "--only", "buffer,distill")
        .toArray(String[]::new));
    assertEquals(0, first.code(), first.err());
    byte[] set = Files.readAllBytes(run.resolve("distill/syn-final.arrow"));

    CliTest.Run same = CliTest.run(quickstart(data, run, "--only", "buffer,distill")
        .toArray(String[]::new));
    assertEquals(0, same.code(), same.err());
    assertTrue(same.err().contains("is finished; reusing it"), same.err());

    // issue 20: run-only settings (how often it saved or evaluated) never block reuse
    CliTest.Run runOnly = CliTest.run(quickstart(data, run, "--only", "buffer,distill",
        "--set", "distill.save_every=3", "--set", "distill.eval_every=1")
        .toArray(String[]::new));
    assertEquals(0, runOnly.code(), runOnly.err());
    assertTrue(runOnly.err().contains("is finished; reusing it"), runOnly.err());

    CliTest.Run changed = CliTest.run(quickstart(data, run, "--only", "buffer,distill",
        "--set", "distill.lr_img=100").toArray(String[]::new));
    assertEquals(2, changed.code(), changed.err());
    assertTrue(changed.err().contains("distill.lr_img: 1000.0 -> 100.0"), changed.err());
    assertTrue(changed.err().contains("--force distill") && changed.err().contains("--out"),
        changed.err());
    assertTrue(java.util.Arrays.equals(set,
        Files.readAllBytes(run.resolve("distill/syn-final.arrow"))), "set left as it was");
    assertTrue(Files.readString(run.resolve("distill/config.json"))
        .contains("\"lr_img\" : 1000.0"));

    CliTest.Run forced = CliTest.run(quickstart(data, run, "--only", "buffer,distill",
        "--set", "distill.lr_img=100", "--force", "distill").toArray(String[]::new));
    assertEquals(0, forced.code(), forced.err());
    assertFalse(forced.err().contains("reusing it"), forced.err());
    assertTrue(forced.err().contains("expert 0 already complete, reused"), forced.err());
    assertTrue(Files.readString(run.resolve("distill/config.json"))
        .contains("\"lr_img\" : 100.0"));
    assertEquals(3, Files.readAllLines(run.resolve("distill/metrics.jsonl")).size());

    CliTest.Run buffer = CliTest.run(quickstart(data, run, "--only", "buffer",
        "--set", "buffer.epochs=3").toArray(String[]::new));
    assertEquals(2, buffer.code(), buffer.err());
    assertTrue(buffer.err().contains("training.epochs: 2 -> 3")
        && buffer.err().contains("--force buffer"), buffer.err());
  }
}
