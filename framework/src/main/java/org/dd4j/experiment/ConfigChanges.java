package org.dd4j.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dd4j.distill.DistillConfig;
import org.dd4j.settings.Setting;
import org.dd4j.storage.PhaseRecord;

/**
 * What differs between the configuration a phase recorded in its {@code config.json} and the
 * one a new run would record, setting by setting ("distill.lr_img: 1000.0 -&gt; 100.0"), so
 * that a phase's outputs are reused only for the settings that made them.
 */
final class ConfigChanges {

  /**
   * Keys that describe how a phase ran, not what it computed: they may differ between runs
   * whose outputs are the same (threads, dd4j's version, where the buffer directory is, the
   * protocol of the evaluations on the way) or are derived from the settings compared (the
   * method label). The distillation settings declared {@link Setting#runOnly()} (how often it
   * saved or evaluated on the way) are ignored too, wherever a config.json holds them (older
   * config.json files also have save_every and eval_every at their top level).
   */
  static final Set<String> RUN_ONLY = Set.of("threads", "dd4j_version", "progress",
      "evaluation", "buffer", "method");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigChanges() {}

  /**
   * The settings that differ, as "key: old -&gt; new" (nested keys joined by '.'), ignoring
   * {@link #RUN_ONLY} top-level keys; empty if none does.
   *
   * @param recorded the phase's config.json
   * @param now the record the new run would write there
   * @throws IllegalArgumentException if {@code recorded} is not a JSON object
   */
  static List<String> between(Path recorded, PhaseRecord now) {
    JsonNode old;
    try {
      old = JSON.readTree(Files.readString(recorded));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + recorded, e);
    }
    if (old == null || !old.isObject()) {
      throw new IllegalArgumentException(recorded + " must hold a JSON object");
    }
    JsonNode next;
    try {
      next = JSON.readTree(now.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> a = flatten(old);
    Map<String, String> b = flatten(next);
    // distillation settings, by their descriptors: one that does not change the result is
    // ignored, and one added since the phase was recorded had its default then
    for (Setting<?> s : DistillConfig.SCHEMA.settings()) {
      String key = "distill." + s.name();
      if (s.isRunOnly()) {
        for (String k : List.of(key, s.name())) {
          a.remove(k);
          b.remove(k);
        }
      } else if (!a.containsKey(key) && b.containsKey(key)) {
        a.put(key, plainDefault(s));
      }
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : a.entrySet()) {
      String v = b.get(e.getKey());
      if (!e.getValue().equals(v)) {
        out.add(e.getKey() + ": " + e.getValue() + " -> " + (v == null ? "(absent)" : v));
      }
    }
    for (Map.Entry<String, String> e : b.entrySet()) {
      if (!a.containsKey(e.getKey())) {
        out.add(e.getKey() + ": (absent) -> " + e.getValue());
      }
    }
    return out;
  }

  private static <T> String plainDefault(Setting<T> s) {
    JsonNode n = JSON.valueToTree(s.plain(s.defaultValue()));
    return n.isTextual() ? n.asText() : n.toString();
  }

  private static Map<String, String> flatten(JsonNode root) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!RUN_ONLY.contains(f.getKey())) {
        flatten(f.getKey(), f.getValue(), out);
      }
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        flatten(prefix + "." + f.getKey(), f.getValue(), out);
      }
    } else {
      out.put(prefix, n.isTextual() ? n.asText() : n.toString());
    }
  }
}
