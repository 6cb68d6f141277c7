package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What config.json records for a preprocessing, and which recorded buffers it accepts. */
class DataChoiceTest {

  @Test
  void normalizeIsRecordedResolvedAndAnOldFittedBufferIsNotTakenForIt() {
    DataChoice cifar = new DataChoice("cifar10", "normalize");
    assertEquals("normalize-reference", cifar.resolvedPreprocess());
    assertTrue(cifar.matchesRecorded("normalize-reference"));
    assertFalse(cifar.matchesRecorded("normalize")); // a buffer from before: fitted
    assertTrue(new DataChoice("cifar10", "normalize-fitted").matchesRecorded("normalize"));
    DataChoice folder = new DataChoice("image-folder:/tmp/x", "normalize");
    assertEquals("normalize-fitted", folder.resolvedPreprocess());
    assertTrue(folder.matchesRecorded("normalize"));
    assertEquals("zca", new DataChoice("cifar10", "zca").resolvedPreprocess());
    assertThrows(IllegalArgumentException.class, () -> new DataChoice("cifar10", "standard"));
  }

  /** One default per dataset, which the command line and the DSL both take. */
  @Test
  void cifarIsWhitenedByDefaultAndEverythingElseNormalized() {
    for (String cifar : new String[] {"cifar10", "cifar10-jpeg", "cifar100"}) {
      assertEquals("zca", PreprocessingKinds.defaultFor(cifar));
      assertEquals("zca", DataChoice.withDefaultPreprocessing(cifar).preprocess());
    }
    assertEquals("normalize", PreprocessingKinds.defaultFor("fashion-mnist"));
    assertEquals("normalize", PreprocessingKinds.defaultFor("image-folder:/tmp/x"));
  }

  @Test
  void dd4jCacheNamesTheCacheDirectory() {
    assertEquals(java.nio.file.Path.of("/c"),
        CacheDir.resolve(java.util.Map.of("DD4J_CACHE", "/c")::get));
    assertEquals(java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "dd4j"),
        CacheDir.resolve(java.util.Map.of("DD4J_CACHE", " ")::get));
  }
}
