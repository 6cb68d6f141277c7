package org.dd4j.monitor;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.storage.ConfigJson;

/**
 * A phase's resolved configuration in TensorBoard: as Markdown under {@link Tags#CONFIG}
 * (Text tab) and as the hparams of the run ({@link HParams}, HParams tab), both at step 0.
 */
final class RunConfig {

  private RunConfig() {}

  /** Writes both summaries of {@code config} (a phase's config.json content). */
  static void write(EventWriter w, Map<String, Object> config) {
    Map<String, Object> plain = ConfigJson.plain(config);
    w.text(Tags.CONFIG, 0, "```json\n" + ConfigJson.text(plain) + "\n```\n");
    w.tensor(HParams.SESSION_START_TAG, 0, new byte[0],
        HParams.sessionStart(flatten(plain), System.currentTimeMillis() / 1000.0));
  }

  /**
   * Nested maps flattened to "distill.lr_img" keys; numbers, booleans and strings as they
   * are, lists and anything else as their string ({@code [a, b]}).
   */
  static Map<String, Object> flatten(Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", config, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> m, Map<String, Object> out) {
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String key = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> nested) {
        flatten(key + ".", (Map<String, Object>) nested, out);
      } else if (v instanceof Number || v instanceof Boolean || v instanceof String) {
        out.put(key, v);
      } else if (v != null) {
        out.put(key, String.valueOf(v));
      }
    }
  }
}
