package org.dd4j.storage;

import java.util.Map;

/**
 * The resolved configuration of one phase, as its {@code config.json} holds it
 * ({@link BufferRecord}, {@link DistillRecord}): the runner writes it, the reuse check and
 * the reports read it.
 */
public interface PhaseRecord {

  /** The record as plain JSON values, in config.json's field order (snake_case names). */
  Map<String, Object> toMap();

  /** The text of config.json. */
  default String toJson() {
    return ConfigJson.text(toMap());
  }
}
