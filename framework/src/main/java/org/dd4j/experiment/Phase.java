package org.dd4j.experiment;

import java.util.Locale;

/** The phases of an experiment, in the order they run. */
public enum Phase {
  /** Train experts on real data and store their trajectories. */
  BUFFER,
  /** Learn the synthetic set by matching the trajectories. */
  DISTILL,
  /** Train fresh networks on the synthetic set and test them. */
  EVALUATE;

  /** "buffer", "distill" or "evaluate". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for another name */
  public static Phase named(String name) {
    for (Phase p : values()) {
      if (p.id().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("phase must be buffer, distill or evaluate, got '"
        + name + "'");
  }
}
