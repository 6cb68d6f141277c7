package org.dd4j.settings;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.function.Function;
import org.dd4j.schedule.Schedule;

/**
 * How a {@link Setting}'s value is read from text (a command-line option, a {@code --set}
 * override, a stored configuration) and written back: {@link #format} produces the text that
 * {@link #parse} turns into an equal value, and {@link #plain} the JSON-ready value that
 * config.json and checkpoints store.
 *
 * @param <T> the Java type of the value
 */
public final class SettingType<T> {

  public static final SettingType<Integer> INT = new SettingType<>("an integer", Integer.class,
      Integer::valueOf, String::valueOf, v -> v);
  public static final SettingType<Long> LONG = new SettingType<>("an integer", Long.class,
      Long::valueOf, String::valueOf, v -> v);
  public static final SettingType<Double> DOUBLE = new SettingType<>("a number", Double.class,
      Double::valueOf, SettingType::number, v -> v);
  public static final SettingType<Boolean> BOOLEAN = new SettingType<>("true or false",
      Boolean.class, SettingType::bool, String::valueOf, v -> v);
  public static final SettingType<String> STRING = new SettingType<>("a string", String.class,
      s -> s, s -> s, s -> s);

  /**
   * A schedule of a step count: parsed from a number (a constant); stored as its value at
   * steps 0, 1, 10, 100, 1000 and 10000 (a schedule made in Java or a script is a function,
   * not text).
   */
  public static final SettingType<Schedule> SCHEDULE = new SettingType<>("a number",
      Schedule.class, s -> Schedule.constant(Double.parseDouble(s)),
      s -> number(s.at(0)), SettingType::samples);

  private final String expected;
  private final Class<T> javaType;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;
  private final Function<T, Object> plain;
  private final String joiner;

  private SettingType(String expected, Class<T> javaType, Function<String, T> parser,
      Function<T, String> formatter, Function<T, Object> plain) {
    this(expected, javaType, parser, formatter, plain, null);
  }

  private SettingType(String expected, Class<T> javaType, Function<String, T> parser,
      Function<T, String> formatter, Function<T, Object> plain, String joiner) {
    this.expected = expected;
    this.javaType = javaType;
    this.parser = parser;
    this.formatter = formatter;
    this.plain = plain;
    this.joiner = joiner;
  }

  /**
   * The same type, whose command-line option may be repeated: the values given are joined by
   * {@code joiner} into one text before parsing (e.g. {@code --regularizer a --regularizer b}
   * is {@code "a + b"}).
   */
  public SettingType<T> repeatable(String joiner) {
    return new SettingType<>(expected, javaType, parser, formatter, plain,
        checkNotNull(joiner, "joiner"));
  }

  /** The joiner of a repeatable option's values, or empty for a single-valued one. */
  public java.util.Optional<String> joiner() {
    return java.util.Optional.ofNullable(joiner);
  }

  /**
   * A piece named in a {@link PieceRegistry}: parsed from, formatted and stored as its
   * description, e.g. {@code intermediate(weights=linear)}.
   */
  public static <T> SettingType<T> piece(PieceRegistry<T> registry) {
    checkNotNull(registry, "registry");
    return new SettingType<>("one of " + registry.names() + ", e.g. name(key=value)",
        registry.type(), registry::parse, registry::describe, registry::describe);
  }

  /** What a valid text looks like, for error messages ("an integer"). */
  public String expected() {
    return expected;
  }

  public Class<T> javaType() {
    return javaType;
  }

  /**
   * @throws IllegalArgumentException if {@code text} is not a value of this type (the message
   *     says what was expected)
   */
  public T parse(String text) {
    checkNotNull(text, "text");
    try {
      return parser.apply(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + expected + ", got '" + text + "'", e);
    }
  }

  /** The text {@link #parse} reads back as {@code value}. */
  public String format(T value) {
    return formatter.apply(value);
  }

  /** The JSON-ready value stored in config.json and checkpoints. */
  public Object plain(T value) {
    return plain.apply(value);
  }

  /** A type from its functions (for settings of a type of their own). */
  public static <T> SettingType<T> of(String expected, Class<T> javaType,
      Function<String, T> parser, Function<T, String> formatter, Function<T, Object> plain) {
    return new SettingType<>(expected, javaType, parser, formatter, plain);
  }

  private static Object samples(Schedule s) {
    double first = s.at(0);
    java.util.List<Double> v = new java.util.ArrayList<>();
    boolean constant = true;
    for (long at : new long[] {0, 1, 10, 100, 1000, 10000}) {
      v.add(s.at(at));
      constant &= s.at(at) == first;
    }
    return constant ? (Object) first : v;
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
        : String.valueOf(v);
  }

  private static Boolean bool(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "on", "yes" -> true;
      case "false", "off", "no" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
    };
  }
}
