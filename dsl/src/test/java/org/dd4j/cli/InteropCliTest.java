package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch interop commands end to end on Fashion-MNIST: a buffer trained by MTT's own
 * buffer.py (fixture of framework/src/test/resources/interop/mtt-buffer, made by
 * tools/golden/mtt_buffer.py) is imported, inspected (torch's accuracies), distilled from,
 * the set exported to .pt and evaluated from those files; and bad files exit 2 with one line,
 * writing nothing.
 */
class InteropCliTest {

  private static final Path FIXTURES = Path.of("../framework/src/test/resources/interop");

  @TempDir Path dir;

  @Test
  void anImportedMttBufferDistilsAndItsSetEvaluatesFromPt() throws Exception {
    Path buffer = dir.resolve("buffer");
    CliTest.Run imp = CliTest.run("import", "buffer", FIXTURES.resolve("mtt-buffer").toString(),
        "--width", "8", "--accuracies", FIXTURES.resolve("mtt-buffer/experts.json").toString(),
        "--out", buffer.toString());
    assertEquals(0, imp.code(), imp.err());
    assertTrue(imp.out().contains("imported 2 experts x 2 epochs of convnet-d3-w8"), imp.out());

    CliTest.Run inspect = CliTest.run("inspect", buffer.toString());
    assertEquals(0, inspect.code(), inspect.err());
    // the final test accuracies torch measured (experts.json: 0.136 and 0.21)
    assertTrue(inspect.out().contains("0       13.60 ") && inspect.out().contains("1       21.00 "),
        inspect.out());

    Path distill = dir.resolve("distill");
    CliTest.Run d = CliTest.run("distill", "--buffer", buffer.toString(), "--ipc", "1",
        "--syn-steps", "2", "--expert-epochs", "1", "--max-start-epoch", "1", "--iterations",
        "2", "--eval-epochs", "1", "--eval-runs", "1", "--no-eval-random-baseline",
        "--no-progress", "--out", distill.toString());
    assertEquals(0, d.code(), d.err());
    Path syn = distill.resolve("syn-final.arrow");
    assertTrue(Files.exists(syn));

    Path pt = dir.resolve("pt");
    CliTest.Run e = CliTest.run("export", syn.toString(), "--format", "pt", "--out",
        pt.toString());
    assertEquals(0, e.code(), e.err());
    CliTest.Run ev = CliTest.run("evaluate", "--syn", pt.resolve("images_best.pt").toString(),
        "--labels", pt.resolve("labels_best.pt").toString(), "--lr",
        pt.resolve("lr_best.pt").toString(), "--width", "8", "--eval-epochs", "1",
        "--eval-runs", "1", "--baseline", "none");
    assertEquals(0, ev.code(), ev.err());
    assertTrue(ev.out().contains("convnet-d3-w8"), ev.out());
  }

  @Test
  void badTorchFilesExitTwoWithOneLineAndWriteNothing() throws Exception {
    Path src = Files.createDirectories(dir.resolve("evil"));
    Files.copy(FIXTURES.resolve("malicious.pt"), src.resolve("replay_buffer_0.pt"));
    Path out = dir.resolve("buffer");
    CliTest.Run r = CliTest.run("import", "buffer", src.toString(), "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("posix.system"), r.err());
    assertFalse(Files.exists(out));

    Path legacy = Files.createDirectories(dir.resolve("legacy"));
    Files.copy(FIXTURES.resolve("legacy.pt"), legacy.resolve("replay_buffer_0.pt"));
    r = CliTest.run("import", "buffer", legacy.toString(), "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("legacy (non-zip) format") && r.err().contains("re-save"),
        r.err());
    assertFalse(Files.exists(out));

    r = CliTest.run("import", "buffer", FIXTURES.resolve("mtt-buffer").toString(), "--width",
        "16", "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().strip().lines().reduce((a, b) -> b).orElse("")
        .contains("expects [16, 1, 3, 3]"), r.err());
    assertFalse(Files.exists(out));

    Path set = dir.resolve("set.arrow");
    r = CliTest.run("import", "set", "--syn", FIXTURES.resolve("half.pt").toString(),
        "--labels", FIXTURES.resolve("labels_best.pt").toString(), "--syn-lr", "0.01",
        "--out", set.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("float16"), r.err());
    assertFalse(Files.exists(set));
  }
}
