package org.dd4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buffer trained by MTT's own buffer.py (tools/golden/mtt_buffer.py: 2 experts x 2 epochs
 * of ConvNet-3 width 8 on 1,000 Fashion-MNIST images) imported into a dd4j buffer, exported
 * back to replay_buffer_N.pt and imported again; and the inputs the import refuses.
 */
class BufferImportTest {

  @TempDir Path dir;

  private static Model convNetW8() {
    return ModelRegistry.create(ModelRegistry.spec("convnet", 3, 8, new InputShape(28, 28, 1),
        10));
  }

  private BufferImport.Settings settings(Model m, List<List<Double>> acc) {
    return new BufferImport.Settings(m, "fashion-mnist",
        InteropFixtures.fashionMnistPreprocessing(), InteropFixtures.mttOptimizer(), acc);
  }

  private Path source() {
    InteropFixtures.copy("mtt-buffer/experts.json", dir, "src/experts.json");
    return InteropFixtures.copy("mtt-buffer/replay_buffer_0.pt", dir,
        "src/replay_buffer_0.pt").getParent();
  }

  @Test
  void importsBufferPyExpertsWithTheirProvenanceAndAccuracies() throws IOException {
    Path src = source();
    List<List<Double>> acc = BufferImport.readAccuracies(src.resolve("experts.json"));
    var r = BufferImport.run(BufferImport.bufferFiles(src), settings(convNetW8(), acc),
        dir.resolve("buffer"));
    assertEquals(2, r.experts());
    assertEquals(2, r.epochs());
    BufferDirectory b = BufferDirectory.open(r.dir());
    assertEquals(List.of(0, 1), b.completeExperts());
    try (TrajectoryReader t = b.openExpert(1)) {
      assertEquals(3, t.numSnapshots());
      // distinct epochs (buffer.py's .cpu() aliases the live weights on a CPU; see
      // tools/golden/mtt_buffer.py)
      assertFalse(java.util.Arrays.equals(t.snapshot(0), t.snapshot(2)));
      assertEquals("fashion-mnist", t.metadata().dataset());
    }
    String metrics = Files.readString(r.dir().resolve("metrics.jsonl"));
    assertTrue(metrics.contains("\"expert\":1,\"epoch\":2,\"test_acc\":" + acc.get(1).get(1)),
        metrics);
    String provenance = Files.readString(r.dir().resolve(BufferImport.IMPORT_JSON));
    assertTrue(provenance.contains("replay_buffer_0.pt") && provenance.contains("sha256"));
  }

  @Test
  void exportThenImportGivesTheSameSnapshotsBitForBit() throws IOException {
    var first = BufferImport.run(BufferImport.bufferFiles(source()), settings(convNetW8(), null),
        dir.resolve("a"));
    List<String> files = BufferExport.write(BufferDirectory.open(first.dir()),
        dir.resolve("pt"), 1);
    assertEquals(List.of("replay_buffer_0.pt", "replay_buffer_1.pt", BufferExport.DESCRIPTION),
        files);
    var second = BufferImport.run(BufferImport.bufferFiles(dir.resolve("pt")),
        settings(convNetW8(), null), dir.resolve("b"));
    for (int e = 0; e < 2; e++) {
      try (TrajectoryReader x = BufferDirectory.open(first.dir()).openExpert(e);
          TrajectoryReader y = BufferDirectory.open(second.dir()).openExpert(e)) {
        for (int t = 0; t < 3; t++) {
          assertArrayEquals(x.snapshot(t), y.snapshot(t), "expert " + e + " snapshot " + t);
        }
      }
    }
  }

  @Test
  void aModelThatDoesNotFitIsRefusedAndNothingIsWritten() throws IOException {
    Model wide = ModelRegistry.create(ModelRegistry.spec("convnet", 3, 16,
        new InputShape(28, 28, 1), 10));
    Path out = dir.resolve("buffer");
    Path src = source();
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> BufferImport.run(BufferImport.bufferFiles(src), settings(wide, null), out));
    assertTrue(e.getMessage().contains("has shape [8, 1, 3, 3]")
        && e.getMessage().contains("expects [16, 1, 3, 3]"), e.getMessage());
    Model deep = ModelRegistry.create(ModelRegistry.spec("convnet", 4, 8,
        new InputShape(28, 28, 1), 10));
    assertTrue(assertThrows(TorchFormatException.class,
        () -> BufferImport.run(BufferImport.bufferFiles(src), settings(deep, null), out))
        .getMessage().contains("holds 14 parameter tensors"));
    assertFalse(Files.exists(out));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of("src"), s.map(p -> p.getFileName().toString()).toList(),
          "no staging directory left");
    }
  }

  @Test
  void refusesAMaliciousBufferAndWritesNothing() {
    Path src = dir.resolve("evil");
    InteropFixtures.copy("malicious.pt", src, "replay_buffer_0.pt");
    Path out = dir.resolve("buffer");
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> BufferImport.run(BufferImport.bufferFiles(src), settings(convNetW8(), null), out));
    assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
    assertFalse(Files.exists(out));
  }
}
