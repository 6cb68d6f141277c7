package org.dd4j.distribute;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

/**
 * Where the units of a run execute: {@code local} (in this JVM, one after another) or
 * {@code spark} with a master URL ({@code local[*]}, embedded, the default;
 * {@code spark://host:7077} for a standalone cluster).
 *
 * @param name {@code local} or the name of an {@link EngineProvider} on the classpath
 * @param master the Spark master URL (ignored by the local engine)
 */
public record EngineChoice(String name, String master) {

  /** The engine used when none is chosen. */
  public static final String LOCAL = "local";

  /** The master of {@code --engine spark} without {@code --master}: embedded, all cores. */
  public static final String DEFAULT_MASTER = "local[*]";

  public EngineChoice {
    checkArgument(name != null && !name.isBlank(), "engine must be local or spark");
    name = name.trim().toLowerCase(Locale.ROOT);
    master = master == null || master.isBlank() ? DEFAULT_MASTER : master.trim();
  }

  public static EngineChoice local() {
    return new EngineChoice(LOCAL, null);
  }

  public boolean isLocal() {
    return name.equals(LOCAL);
  }

  @Override
  public String toString() {
    return isLocal() ? LOCAL : name + "(master=" + master + ")";
  }
}
