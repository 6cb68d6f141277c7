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
import java.util.Map;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .pt} reader on files torch wrote (tools/golden/pt_fixtures.py): the authors'
 * distilled-set files, and every input it must refuse with a one-line error.
 */
class TorchFileTest {

  @TempDir Path dir;

  @Test
  void readsTheAuthorsSetFiles() {
    Path images = InteropFixtures.copy("images_best.pt", dir, "images_best.pt");
    Path labels = InteropFixtures.copy("labels_best.pt", dir, "labels_best.pt");
    Path lr = InteropFixtures.copy("lr_best.pt", dir, "lr_best.pt");
    SyntheticSet s = TorchSets.read(images, labels, null, lr);
    assertEquals(10, s.count());
    assertEquals(1, s.ipc());
    assertEquals(10, s.numClasses());
    assertEquals(28, s.shape().height());
    assertEquals(1, s.shape().channels());
    assertEquals(0.01f, (float) s.synLr());
    assertFalse(s.hasSoftLabels());
    // pixel (0, 0) of the first image is background: (0 - 0.2861) / 0.3530
    assertEquals(-0.2861f / 0.3530f, s.images()[0], 1e-6);
    SyntheticSet given = TorchSets.read(images, labels, 0.02, null);
    assertEquals(0.02, given.synLr());
  }

  @Test
  void readsDatmLabelLogits() {
    Path images = InteropFixtures.copy("images_best.pt", dir, "images_best.pt");
    Path logits = InteropFixtures.copy("labels_logits_best.pt", dir, "labels_best.pt");
    SyntheticSet s = TorchSets.read(images, logits, 0.01, null);
    assertTrue(s.hasSoftLabels());
    float[] l = s.labelLogits();
    // logits = 3 I + 0.1 sin(arange(100)).reshape(10, 10)
    assertEquals(3 + 0.1 * Math.sin(0), l[0], 1e-6);
    assertEquals(0.1 * Math.sin(12), l[12], 1e-6);
  }

  @Test
  void refusesAPickleThatCallsOsSystem() throws IOException {
    Path evil = InteropFixtures.copy("malicious.pt", dir, "malicious.pt");
    Path marker = Path.of("/tmp/dd4j-pwned");
    Files.deleteIfExists(marker);
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> TorchFile.open(evil));
    assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
    assertTrue(e.getMessage().contains("allow-list"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertFalse(Files.exists(marker), "nothing ran");
  }

  @Test
  void refusesTheLegacyFormatSayingHowToResave() {
    Path legacy = InteropFixtures.copy("legacy.pt", dir, "legacy.pt");
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> TorchFile.open(legacy));
    assertTrue(e.getMessage().contains("legacy (non-zip) format"), e.getMessage());
    assertTrue(e.getMessage().contains("torch.save(torch.load(f), f)"), e.getMessage());
  }

  @Test
  void refusesUnsupportedDtypes() {
    Path half = InteropFixtures.copy("half.pt", dir, "half.pt");
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> TorchFile.open(half));
    assertTrue(e.getMessage().contains("float16"), e.getMessage());
  }

  @Test
  void refusesTruncatedAndForeignFiles() throws IOException {
    Path images = InteropFixtures.copy("images_best.pt", dir, "images_best.pt");
    byte[] all = Files.readAllBytes(images);
    for (int keep : new int[] {all.length - 30, all.length / 2, 100}) {
      Path cut = dir.resolve("cut-" + keep + ".pt");
      Files.write(cut, java.util.Arrays.copyOf(all, keep));
      TorchFormatException e = assertThrows(TorchFormatException.class, () -> {
        try (TorchFile f = TorchFile.open(cut)) {
          ((TorchTensor) f.root()).toFloats();
        }
      });
      assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }
    Path text = dir.resolve("notes.pt");
    Files.writeString(text, "hello");
    assertTrue(assertThrows(TorchFormatException.class, () -> TorchFile.open(text))
        .getMessage().contains("not a PyTorch .pt file"));
    Path empty = dir.resolve("empty.pt");
    Files.write(empty, new byte[0]);
    assertTrue(assertThrows(TorchFormatException.class, () -> TorchFile.open(empty))
        .getMessage().contains("is empty"));
  }

  @Test
  void refusesSetsThatAreNotClassMajor() {
    Path images = InteropFixtures.copy("images_best.pt", dir, "images_best.pt");
    Path labels = dir.resolve("labels.pt");
    long[] shuffled = {1, 0, 2, 3, 4, 5, 6, 7, 8, 9};
    TorchFile.write(labels, TorchTensor.ofLongs(shuffled, 10));
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> TorchSets.read(images, labels, 0.01, null));
    assertTrue(e.getMessage().contains("class-major"), e.getMessage());
    Path noLr = InteropFixtures.copy("labels_best.pt", dir, "labels_best.pt");
    assertTrue(assertThrows(TorchFormatException.class,
        () -> TorchSets.read(images, noLr, null, null)).getMessage().contains("--syn-lr"));
  }

  @Test
  void writtenFilesReadBackExactly() {
    Path f = dir.resolve("mixed.pt");
    TorchTensor a = TorchTensor.ofFloats(new float[] {1.5f, -2f, 3.25f, 1e-30f, 0f, 7f}, 2, 3);
    TorchTensor b = TorchTensor.ofLongs(new long[] {-1, 5_000_000_000L}, 2);
    TorchTensor c = TorchTensor.ofDoubles(new double[] {Math.PI});
    TorchFile.write(f, List.of(a, Map.of("k", b), new Object[] {c, "text", 300, 2.5, true}));
    try (TorchFile t = TorchFile.open(f)) {
      List<?> root = (List<?>) t.root();
      assertArrayEquals(new long[] {2, 3}, ((TorchTensor) root.get(0)).shape());
      assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 1e-30f, 0f, 7f},
          ((TorchTensor) root.get(0)).toFloats());
      assertArrayEquals(new long[] {-1, 5_000_000_000L},
          ((TorchTensor) ((Map<?, ?>) root.get(1)).get("k")).toLongs());
      Object[] tuple = (Object[]) root.get(2);
      assertEquals(Math.PI, ((TorchTensor) tuple[0]).toDoubles()[0]);
      assertEquals(0, ((TorchTensor) tuple[0]).shape().length);
      assertEquals("text", tuple[1]);
      assertEquals(300, ((Number) tuple[2]).intValue());
      assertEquals(2.5, tuple[3]);
      assertEquals(true, tuple[4]);
    }
  }
}
