package org.dd4j.experiment;

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
}
