package org.dd4j.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings a sweep varies: {@code --set} keys ({@code distill.*}, {@code evaluate.*}),
 * each with its values; every combination is one {@link SweepPoint}, the first key varying
 * slowest. Buffer, dataset and model keys are refused: every point shares one buffer.
 */
public final class SweepGrid {

  private final LinkedHashMap<String, List<String>> values;

  private SweepGrid(LinkedHashMap<String, List<String>> values) {
    this.values = values;
  }

  /**
   * The script's grid with {@code --grid key=v1,v2} entries replacing or adding keys.
   *
   * @throws IllegalArgumentException for an entry without '=' or values, a key of the
   *     shared buffer, or an empty grid
   */
  public static SweepGrid of(Map<String, List<String>> script, List<String> entries) {
    LinkedHashMap<String, List<String>> v = new LinkedHashMap<>(script);
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException("--grid expects key=v1,v2,..., got '" + entry
            + "'");
      }
      List<String> list = new ArrayList<>();
      for (String s : entry.substring(eq + 1).split(",")) {
        if (!s.isBlank()) {
          list.add(s.trim());
        }
      }
      v.put(entry.substring(0, eq).trim(), List.copyOf(list));
    }
    for (String key : v.keySet()) {
      if (!key.startsWith("distill.") && !key.startsWith("evaluate.")) {
        throw new IllegalArgumentException("grid key " + key + ": a sweep varies distill.* "
            + "and evaluate.* settings (its points share one buffer); run a buffer setting "
            + "as sweeps of their own, one --set " + key + "=... each");
      }
    }
    if (v.isEmpty()) {
      throw new IllegalArgumentException("nothing to sweep: give --grid key=v1,v2 or a "
          + "sweep { grid(\"distill.lr_img\", 100, 1000) } block in the script");
    }
    return new SweepGrid(v);
  }

  /** Every combination, the first key varying slowest, numbered from 0. */
  public List<SweepPoint> points() {
    List<LinkedHashMap<String, String>> combos = new ArrayList<>();
    combos.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      List<LinkedHashMap<String, String>> next = new ArrayList<>();
      for (LinkedHashMap<String, String> c : combos) {
        for (String value : e.getValue()) {
          LinkedHashMap<String, String> m = new LinkedHashMap<>(c);
          m.put(e.getKey(), value);
          next.add(m);
        }
      }
      combos = next;
    }
    List<SweepPoint> out = new ArrayList<>();
    for (int i = 0; i < combos.size(); i++) {
      out.add(new SweepPoint(i, combos.get(i)));
    }
    return out;
  }

  public Map<String, List<String>> values() {
    return values;
  }
}
