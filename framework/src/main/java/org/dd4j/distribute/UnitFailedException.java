package org.dd4j.distribute;

/** A unit's failure as the user reads it: {@code "expert 17: <cause>"}. */
public final class UnitFailedException extends RuntimeException {

  private final String unit;

  public UnitFailedException(String unit, String message, Throwable cause) {
    super(unit + ": " + message, cause);
    this.unit = unit;
  }

  /** The failed unit's label. */
  public String unit() {
    return unit;
  }

  /** The message of {@code t}, or its class name when it has none. */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
