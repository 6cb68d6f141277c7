package org.dd4j.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;

/**
 * One point of a {@link SweepGrid}: its number and its {@code --set} values.
 *
 * @param index 0-based, in grid order; names the run directory {@code point-NN}
 * @param values key to value, in grid order
 */
public record SweepPoint(int index, LinkedHashMap<String, String> values)
    implements Serializable {

  /** {@code point-03}. */
  public String dirName() {
    return String.format("point-%02d", index);
  }

  /** {@code lr_img=100 syn_steps=10}: the keys without their phase. */
  public String label() {
    return values.entrySet().stream()
        .map(e -> e.getKey().substring(e.getKey().indexOf('.') + 1) + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
