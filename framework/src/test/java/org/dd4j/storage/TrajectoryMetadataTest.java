package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrajectoryMetadataTest {

  @Test
  void schemaMetadataRoundTripIsEqual() {
    TrajectoryMetadata m = TestTrajectories.metadata(3);
    Map<String, String> kv = m.toSchemaMetadata();
    assertEquals("1", kv.get(TrajectoryFormat.KEY_FORMAT_VERSION));
    assertEquals("3", kv.get(TrajectoryFormat.KEY_EXPERT_INDEX));
    assertEquals("[{\"name\":\"conv0.weight\",\"shape\":[3,3,1,4]},{\"name\":\"conv0.bias\","
        + "\"shape\":[4]},{\"name\":\"dense.weight\",\"shape\":[16,3]},{\"name\":\"dense.bias\","
        + "\"shape\":[3]}]", kv.get(TrajectoryFormat.KEY_PARAMS));
    assertEquals("{\"name\":\"convnet\",\"depth\":1,\"width\":4,\"norm\":\"instance\","
        + "\"pooling\":\"avg\",\"input\":{\"height\":4,\"width\":4,\"channels\":1},"
        + "\"num_classes\":3}", kv.get(TrajectoryFormat.KEY_MODEL));
    assertEquals(m, TrajectoryMetadata.fromSchemaMetadata(kv));
  }

  @Test
  void freeFormPartsAreNormalisedAndUnmodifiable() {
    TrajectoryMetadata m = TestTrajectories.metadata(0);
    assertEquals(0.1, m.preprocessing().get("eps")); // float 0.1f stored as the double 0.1
    assertThrows(UnsupportedOperationException.class, () -> m.optimizer().put("lr", 1));
    assertThrows(UnsupportedOperationException.class,
        () -> m.regularizers().get(0).put("mu", 2));
  }

  @Test
  void constructorValidates() {
    TrajectoryMetadata m = TestTrajectories.metadata(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrajectoryMetadata(m.model(), m.layout(), m.dataset(), m.preprocessing(),
            m.optimizer(), m.regularizers(), 1, -1, m.version()));
    assertEquals("expertIndex must be >= 0, got -1", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new TrajectoryMetadata(m.model(), m.layout(), " ", m.preprocessing(),
            m.optimizer(), m.regularizers(), 1, 0, m.version()));
  }

  @Test
  void missingKeyIsNamed() {
    Map<String, String> kv = new HashMap<>(TestTrajectories.metadata(0).toSchemaMetadata());
    kv.remove(TrajectoryFormat.KEY_DATASET);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrajectoryMetadata.fromSchemaMetadata(kv));
    assertTrue(e.getMessage().contains("dd4j.dataset"), e.getMessage());
  }

  @Test
  void withExpertChangesOnlyIndexAndSeed() {
    TrajectoryMetadata a = TestTrajectories.metadata(0);
    TrajectoryMetadata b = a.withExpert(7, 99);
    assertEquals(7, b.expertIndex());
    assertEquals(99, b.seed());
    assertEquals(a, b.withExpert(0, a.seed()));
    assertEquals(List.of(), new TrajectoryMetadata(a.model(), a.layout(), a.dataset(),
        Map.of(), Map.of(), List.of(), 0, 0, "v").regularizers());
  }
}
