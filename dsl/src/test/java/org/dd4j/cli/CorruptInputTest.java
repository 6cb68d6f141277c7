package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dd4j.synthetic.SyntheticSet;
import org.dd4j.models.InputShape;
import org.dd4j.storage.SyntheticSetFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command on a corrupt input of every kind (trajectory, synthetic set, checkpoint, IDX,
 * CIFAR binary, image, buffer manifest, script) ends with exit code 2 and one error line
 * naming the file, without a stack trace.
 */
class CorruptInputTest {

  @TempDir
  static Path tmp;
  static String dataset;
  static Path buffer;

  /** A tiny image folder and a complete buffer of 2 experts x 2 epochs trained on it. */
  @BeforeAll
  static void trainBuffer() throws Exception {
    dataset = "image-folder:" + CliTest.tinyImageFolder(tmp.resolve("data"));
    buffer = tmp.resolve("buf");
    CliTest.Run b = CliTest.run("buffer", "--dataset", dataset, "--depth", "1", "--width", "4",
        "--experts", "2", "--epochs", "2", "--batch-train", "16", "--no-progress", "--threads",
        "2", "--out", buffer.toString());
    assertEquals(0, b.code(), b.err());
  }

  /**
   * Exit code 2, exactly one line starting with "dd4j COMMAND: " on stderr (other stderr
   * lines are progress logs) that names {@code file}, and no stack trace.
   */
  static void assertOneLineError(CliTest.Run r, Path file, String... args) {
    String what = String.join(" ", args) + "\nstderr:\n" + r.err();
    assertEquals(2, r.code(), what);
    List<String> errors = r.err().lines().filter(l -> l.startsWith("dd4j " + args[0] + ": "))
        .toList();
    assertEquals(1, errors.size(), what);
    assertTrue(errors.get(0).contains(file.toString()), what);
    assertFalse(r.err().contains("at org.") || r.err().contains("\tat "), what);
  }

  static void assertOneLineError(Path file, String... args) {
    assertOneLineError(CliTest.run(args), file, args);
  }

  /** A copy of the tiny buffer, so that each test can break its own. */
  static Path copyOfBuffer(String name) throws Exception {
    Path copy = Files.createDirectories(tmp.resolve(name));
    try (var files = Files.list(buffer)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  static void truncate(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
  }

  static String[] distill(Path buf, Path out, String... more) {
    String[] args = {"distill", "--buffer", buf.toString(), "--dataset", dataset, "--ipc", "1",
        "--syn-steps", "1", "--expert-epochs", "1", "--max-start-epoch", "1", "--iterations",
        "1", "--eval-epochs", "1", "--eval-runs", "1", "--no-progress", "--threads", "2",
        "--out", out.toString()};
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  @Test
  void truncatedExpertFile() throws Exception {
    Path buf = copyOfBuffer("cut-expert");
    Path expert = buf.resolve("expert-00001.arrow");
    truncate(expert);
    assertOneLineError(expert, distill(buf, tmp.resolve("run-cut")));
    assertOneLineError(expert, "inspect", buf.toString());
  }

  @Test
  void brokenManifest() throws Exception {
    Path buf = copyOfBuffer("bad-manifest");
    Path manifest = buf.resolve("manifest.json");
    Files.writeString(manifest, "{\"format_version\": \"1\", \"model\": ");
    assertOneLineError(manifest, distill(buf, tmp.resolve("run-manifest")));
    assertOneLineError(manifest, "inspect", buf.toString());
  }

  @Test
  void truncatedSyntheticSet() throws Exception {
    Path syn = tmp.resolve("syn.arrow");
    SyntheticSet set = new SyntheticSet(new float[2 * 8 * 8 * 3], new int[] {0, 1},
        new InputShape(8, 8, 3), 2, 1, 0.01);
    SyntheticSetFile.write(syn, set, 1, Map.of(), Map.of("name", "none"));
    truncate(syn);
    assertOneLineError(syn, "evaluate", "--syn", syn.toString(), "--dataset", dataset,
        "--depth", "1", "--width", "4", "--eval-epochs", "1", "--eval-runs", "1");
  }

  @Test
  void corruptCheckpoint() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run-checkpoint"));
    Path checkpoint = run.resolve("checkpoint.bin");
    Files.writeString(checkpoint, "not a checkpoint");
    assertOneLineError(checkpoint, distill(buffer, run, "--resume"));
  }

  @Test
  void truncatedIdxFiles() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mnist"));
    byte[] images = ByteBuffer.allocate(16 + 5).putInt(0x803).putInt(10).putInt(28).putInt(28)
        .array(); // 5 of 7840 pixel bytes
    byte[] labels = ByteBuffer.allocate(8 + 10).putInt(0x801).putInt(10).array();
    for (String split : new String[] {"train", "t10k"}) {
      Files.write(dir.resolve(split + "-images-idx3-ubyte"), images);
      Files.write(dir.resolve(split + "-labels-idx1-ubyte"), labels);
    }
    assertOneLineError(dir.resolve("train-images-idx3-ubyte"), "evaluate", "--dataset",
        "mnist:" + dir, "--ipc", "1");
  }

  @Test
  void truncatedCifarBatch() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cifar"));
    for (int i = 1; i <= 5; i++) {
      Files.write(dir.resolve("data_batch_" + i + ".bin"), new byte[3073]);
    }
    Files.write(dir.resolve("test_batch.bin"), new byte[3073]);
    Path cut = dir.resolve("data_batch_3.bin");
    Files.write(cut, new byte[3073 + 1000]); // one record and a third
    assertOneLineError(cut, "evaluate", "--dataset", "cifar10:" + dir, "--ipc", "1");
  }

  @Test
  void corruptImage() throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("bad-images"));
    Path png = data.resolve("train/dark/005.png");
    truncate(png);
    assertOneLineError(png, "evaluate", "--dataset", "image-folder:" + data, "--ipc", "1");
  }

  @Test
  void scriptThatDoesNotCompile() throws Exception {
    Path script = tmp.resolve("broken.exp.kts");
    Files.writeString(script, "experiment(\"broken\") {\n    dataset = fashionMnst()\n}\n");
    assertOneLineError(script, "check", script.toString());
    assertOneLineError(script, "run", script.toString(), "--out",
        tmp.resolve("run-script").toString());
  }
}
