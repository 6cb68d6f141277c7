package org.dd4j.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentRecordTest {

  private static Map<String, Object> resolved() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", "tiny");
    r.put("dataset", "fashion-mnist");
    return r;
  }

  @Test
  void aRunHasItsSourceThenTheResolvedExperiment() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("distill.ipc", "10");
    overrides.put("buffer.experts", "2");
    ExperimentRecord r = ExperimentRecord.run("/x/a.exp.kts", overrides, resolved());
    assertEquals(List.of("script", "overrides", "name", "dataset"),
        List.copyOf(r.toMap().keySet()));
    assertEquals("""
        {
          "script" : "/x/a.exp.kts",
          "overrides" : {
            "distill.ipc" : "10",
            "buffer.experts" : "2"
          },
          "name" : "tiny",
          "dataset" : "fashion-mnist"
        }
        """, r.toJson());
  }

  @Test
  void aSweepHasItsGridAndAPointItsValues() {
    ExperimentRecord sweep = new ExperimentRecord("/x/a.exp.kts", null,
        Map.of("distill.ipc", List.of("1", "10")), null, resolved());
    assertEquals(List.of("script", "overrides", "sweep", "name", "dataset"),
        List.copyOf(sweep.toMap().keySet()));
    assertEquals(Map.of(), sweep.toMap().get("overrides"));
    ExperimentRecord point = new ExperimentRecord("/x/a.exp.kts", Map.of("distill.ipc", "1"),
        null, Map.of("distill.ipc", "1"), resolved());
    assertEquals(List.of("script", "overrides", "sweep_point", "name", "dataset"),
        List.copyOf(point.toMap().keySet()));
    assertEquals(Map.of("distill.ipc", "1"), point.toMap().get("sweep_point"));
  }
}
