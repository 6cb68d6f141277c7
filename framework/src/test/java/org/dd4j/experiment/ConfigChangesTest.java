package org.dd4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.distill.DistillConfig;
import org.dd4j.storage.ConfigJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which differences between a recorded config.json and a new run stop reuse. */
class ConfigChangesTest {

  @TempDir Path tmp;

  private static Map<String, Object> distill(DistillConfig c, String method) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "distill");
    m.put("method", method);
    m.put("dataset", "fashion-mnist");
    m.put("distill", c.toMap());
    m.put("threads", Map.of("intra_op", 2));
    m.put("dd4j_version", "0.0.1");
    return m;
  }

  /** The record the new run would write: the map as it is. */
  private static List<String> between(Path recorded, Map<String, Object> now) {
    return ConfigChanges.between(recorded, () -> now);
  }

  private Path recorded(Map<String, Object> config) throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, ConfigJson.text(config));
    return f;
  }

  @Test
  void runOnlySettingsThreadsVersionAndTheLabelNeverBlockReuse() throws Exception {
    DistillConfig before = DistillConfig.builder().ipc(2).build();
    DistillConfig.Builder b = before.toBuilder();
    b.parse("save_every", "3");
    b.parse("eval_every", "7");
    Map<String, Object> now = distill(b.build(), "custom (mtt; x=1)");
    now.put("threads", Map.of("intra_op", 8));
    now.put("dd4j_version", "9.9");
    assertEquals(List.of(), between(recorded(distill(before, "mtt")), now));
  }

  /** Issue 20: older config.json files also held save_every at their top level. */
  @Test
  void runOnlySettingsAtAnOldFilesTopLevelAreIgnoredToo() throws Exception {
    Map<String, Object> old = distill(DistillConfig.builder().build(), "mtt");
    old.put("save_every", 50);
    old.put("eval_every", 0);
    DistillConfig.Builder b = DistillConfig.builder();
    b.parse("save_every", "3");
    assertEquals(List.of(), between(recorded(old), distill(b.build(), "mtt")));
  }

  @Test
  void aChangedSettingIsNamedWithBothValues() throws Exception {
    Path f = recorded(distill(DistillConfig.builder().lrTeacher(0.01).build(), "mtt"));
    List<String> changes = between(f,
        distill(DistillConfig.builder().lrTeacher(0.02).build(), "mtt"));
    assertEquals(List.of("distill.lr_teacher: 0.01 -> 0.02"), changes);
    Map<String, Object> other = distill(DistillConfig.builder().lrTeacher(0.01).build(), "mtt");
    other.put("dataset", "cifar10");
    assertEquals(List.of("dataset: fashion-mnist -> cifar10"), between(f, other));
  }

  @Test
  void aSettingAddedSinceTheRecordHadItsDefault() throws Exception {
    Map<String, Object> old = distill(DistillConfig.builder().build(), "mtt");
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = new LinkedHashMap<>((Map<String, Object>) old.get("distill"));
    settings.remove("lr_y");
    old.put("distill", settings);
    Path f = recorded(old);
    assertEquals(List.of(), between(f, distill(DistillConfig.builder().build(),
        "mtt")));
    DistillConfig.Builder b = DistillConfig.builder();
    b.parse("lr_y", "3");
    assertEquals(1, between(f, distill(b.build(), "mtt")).size());
  }

  @Test
  void aRecordThatIsNotAnObjectIsRefused() throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, "[1, 2]");
    var e = assertThrows(IllegalArgumentException.class,
        () -> ConfigChanges.between(f, Map::of));
    assertEquals(f + " must hold a JSON object", e.getMessage());
  }
}
