package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the measured full-data accuracies are cached. */
class RunLayoutTest {

  @Test
  void fullDataAccuraciesFollowDd4jCacheWhenItIsSet() {
    assertEquals(Path.of("cache/full-data-accuracy/x.json"),
        RunLayout.fullDataAccuracy("x", Map.<String, String>of()::get));
    assertEquals(Path.of("/c/full-data-accuracy/x.json"),
        RunLayout.fullDataAccuracy("x", Map.of("DD4J_CACHE", "/c")::get));
  }
}
