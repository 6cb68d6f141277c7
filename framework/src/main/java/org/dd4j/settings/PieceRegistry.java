package org.dd4j.settings;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * An open registry of pieces (matching losses, inner-loss transforms, start perturbations,
 * initializations, coresets, ...) by name, with one verb: {@link #parse} turns a description
 * such as {@code intermediate(weights=linear)} into the piece, and the piece's own
 * {@code describe()} prints the string that re-creates it. That string is what config.json
 * stores, what {@code --set} and the command line take, and what a report shows.
 *
 * <p>Grammar: {@code name} or {@code name(key=value, ...)}; a value may itself contain
 * parentheses. A registry made {@link #withAlgebra composable} also reads
 * {@code a + b} and {@code 0.5 * a}, with parentheses for grouping.
 *
 * <p>Registering a name that exists is an error unless {@link #replace} is called, so a
 * script cannot silently swap a built-in piece. Thread-safe.
 *
 * @param <T> what the factories make
 */
public final class PieceRegistry<T> {

  private final String kind;
  private final Class<T> type;
  private final Function<? super T, String> describe;
  private final Map<String, Function<PieceArgs, ? extends T>> factories =
      new ConcurrentHashMap<>();
  private BinaryOperator<T> plus;
  private BiFunction<Double, T, T> times;

  /**
   * @param kind what is registered, for messages ("matching loss")
   * @param describe the piece's description, which {@link #parse} reads back
   */
  public PieceRegistry(String kind, Class<T> type, Function<? super T, String> describe) {
    this.kind = checkNotNull(kind, "kind");
    this.type = checkNotNull(type, "type");
    this.describe = checkNotNull(describe, "describe");
  }

  /** Lets {@link #parse} read sums {@code a + b} and scalings {@code w * a}. */
  public PieceRegistry<T> withAlgebra(BinaryOperator<T> plus, BiFunction<Double, T, T> times) {
    this.plus = checkNotNull(plus, "plus");
    this.times = checkNotNull(times, "times");
    return this;
  }

  /**
   * Adds a piece.
   *
   * @param factory reads the piece's arguments ({@link PieceArgs}); every argument given must
   *     be read, so an unknown one is reported
   * @throws IllegalArgumentException if {@code name} is registered already (use
   *     {@link #replace}) or is not a plain name (letters, digits, '-', '_')
   */
  public void register(String name, Function<PieceArgs, ? extends T> factory) {
    checkName(name);
    checkNotNull(factory, "factory");
    Function<PieceArgs, ? extends T> had = factories.putIfAbsent(name, factory);
    checkArgument(had == null, "a %s named '%s' is registered already; call replace to "
        + "swap it deliberately", kind, name);
  }

  /** Adds or deliberately replaces a piece. */
  public void replace(String name, Function<PieceArgs, ? extends T> factory) {
    checkName(name);
    factories.put(name, checkNotNull(factory, "factory"));
  }

  private void checkName(String name) {
    checkNotNull(name, "name");
    checkArgument(name.matches("[A-Za-z][A-Za-z0-9_-]*"), "a %s name is letters, digits, '-'"
        + " and '_', got '%s'", kind, name);
  }

  /** The registered names, sorted. */
  public Set<String> names() {
    return new TreeMap<>(factories).keySet();
  }

  public Class<T> type() {
    return type;
  }

  /** What {@code piece} prints, which {@link #parse} reads back. */
  public String describe(T piece) {
    return describe.apply(piece);
  }

  /**
   * The piece a description names.
   *
   * @throws IllegalArgumentException for an unknown name (listing the known ones), an unknown
   *     argument, a malformed description or an invalid value
   */
  public T parse(String text) {
    checkNotNull(text, "text");
    String s = text.strip();
    checkArgument(!s.isEmpty(), "empty %s description", kind);
    List<String> terms = split(s, '+');
    if (terms.size() > 1) {
      checkArgument(plus != null, "a %s cannot be a sum: '%s'", kind, s);
      T sum = parse(terms.get(0));
      for (int i = 1; i < terms.size(); i++) {
        sum = plus.apply(sum, parse(terms.get(i)));
      }
      return sum;
    }
    List<String> factors = split(s, '*');
    if (factors.size() == 2) {
      checkArgument(times != null, "a %s cannot be scaled: '%s'", kind, s);
      double w;
      try {
        w = Double.parseDouble(factors.get(0).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("in '" + s + "', the factor before '*' must be a "
            + "number");
      }
      return times.apply(w, parse(factors.get(1)));
    }
    checkArgument(factors.size() == 1, "cannot read %s '%s'", kind, s);
    if (s.startsWith("(") && s.endsWith(")") && closing(s, 0) == s.length() - 1) {
      return parse(s.substring(1, s.length() - 1));
    }
    int open = s.indexOf('(');
    String name = (open < 0 ? s : s.substring(0, open)).strip();
    Map<String, String> args = new LinkedHashMap<>();
    if (open >= 0) {
      checkArgument(s.endsWith(")") && closing(s, open) == s.length() - 1,
          "cannot read %s '%s': unbalanced parentheses", kind, s);
      String inner = s.substring(open + 1, s.length() - 1).strip();
      if (!inner.isEmpty()) {
        for (String a : split(inner, ',')) {
          int eq = a.indexOf('=');
          checkArgument(eq > 0, "in %s '%s', arguments are key=value, got '%s'", kind, s,
              a.strip());
          args.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
      }
    }
    Function<PieceArgs, ? extends T> f = factories.get(name);
    checkArgument(f != null, "unknown %s '%s'; known: %s", kind, name, names());
    PieceArgs pa = new PieceArgs(name, args);
    T piece = checkNotNull(f.apply(pa), "the %s factory '%s' returned null", kind, name);
    pa.checkAllUsed(args.keySet());
    return piece;
  }

  /** The piece {@code name} with its defaults (no arguments). */
  public T create(String name) {
    return parse(name);
  }

  /** Splits at {@code sep} outside parentheses. */
  private static List<String> split(String s, char sep) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == sep && depth == 0) {
        parts.add(s.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(s.substring(start).strip());
    return parts;
  }

  /** The index of the ')' closing the '(' at {@code open}, or -1. */
  private static int closing(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      if (s.charAt(i) == '(') {
        depth++;
      } else if (s.charAt(i) == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
