package org.dd4j.settings;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code key=value} arguments of a piece description such as
 * {@code filter(rho=0.1)}, read by the piece's factory. Every argument must be read: one
 * the factory does not know is an error ({@link #checkAllUsed}), so a typo never passes
 * silently.
 */
public final class PieceArgs {

  private final String piece;
  private final Map<String, String> values;
  private final Set<String> used = new HashSet<>();

  PieceArgs(String piece, Map<String, String> values) {
    this.piece = piece;
    this.values = new LinkedHashMap<>(values);
  }

  /** Arguments given in Java, e.g. from command-line flags that override a piece's fields. */
  public static PieceArgs of(String piece, Map<String, String> values) {
    return new PieceArgs(piece, values);
  }

  /** No arguments (for building a piece from Java). */
  public static PieceArgs none(String piece) {
    return new PieceArgs(piece, Map.of());
  }

  public String text(String key, String defaultValue) {
    used.add(key);
    return values.getOrDefault(key, defaultValue);
  }

  public double number(String key, double defaultValue) {
    String v = text(key, null);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(piece + ": " + key + " must be a number, got '" + v
          + "'");
    }
  }

  public int integer(String key, int defaultValue) {
    String v = text(key, null);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(piece + ": " + key + " must be an integer, got '" + v
          + "'");
    }
  }

  /**
   * @throws IllegalArgumentException naming the arguments no factory call read
   */
  public void checkAllUsed(Set<String> known) {
    Set<String> unknown = new HashSet<>(values.keySet());
    unknown.removeAll(used);
    checkArgument(unknown.isEmpty(), "%s has no argument %s; it takes %s", piece, unknown,
        used.isEmpty() ? "none" : used);
  }
}
