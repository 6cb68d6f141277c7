package org.dd4j.settings;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.dd4j.schedule.Schedule;

/**
 * One setting, described once: its name in the field's snake_case ({@code syn_steps}), other
 * spellings it is known by (MTT's, e.g. {@code Iteration}), its type, default, a one-line
 * doc with its unit, the rule a value must satisfy, and whether a resumed run may change it.
 * The command-line options ({@code --syn-steps}, {@code --syn_steps}), the DSL property
 * ({@code synSteps}), {@code --set distill.syn_steps=...}, config.json and the checkpoint
 * compatibility check are all derived from it.
 *
 * <p>Make one with the factories ({@link #integer}, {@link #number}, ...) and the fluent
 * modifiers, and add it to its phase's {@link SettingsSchema}:
 * <pre>{@code
 * public static final Setting<Integer> SYN_STEPS = SCHEMA.add(Setting.integer("syn_steps", 20,
 *     "N, student SGD steps unrolled per iteration").check(v -> v > 0, "> 0"));
 * }</pre>
 *
 * @param <T> the value's Java type
 */
public final class Setting<T> {

  private final String name;
  private final SettingType<T> type;
  private final T defaultValue;
  private final String doc;
  private final List<String> aliases;
  private final Predicate<? super T> rule;
  private final String requirement;
  private final boolean mayChangeOnResume;
  private final String label;
  private final boolean runOnly;

  private Setting(String name, SettingType<T> type, T defaultValue, String doc,
      List<String> aliases, Predicate<? super T> rule, String requirement,
      boolean mayChangeOnResume, String label) {
    this(name, type, defaultValue, doc, aliases, rule, requirement, mayChangeOnResume, label,
        false);
  }

  private Setting(String name, SettingType<T> type, T defaultValue, String doc,
      List<String> aliases, Predicate<? super T> rule, String requirement,
      boolean mayChangeOnResume, String label, boolean runOnly) {
    checkArgument(name.matches("[a-z][a-z0-9_]*"), "a setting name is snake_case, got '%s'",
        name);
    this.name = name;
    this.type = checkNotNull(type, "type");
    this.defaultValue = checkNotNull(defaultValue, "defaultValue of %s", name);
    this.doc = checkNotNull(doc, "doc");
    this.aliases = List.copyOf(aliases);
    this.rule = rule;
    this.requirement = requirement;
    this.mayChangeOnResume = mayChangeOnResume;
    this.label = label;
    this.runOnly = runOnly;
  }

  /** A setting of any {@link SettingType}. */
  public static <T> Setting<T> of(String name, SettingType<T> type, T defaultValue,
      String doc) {
    return new Setting<>(name, type, defaultValue, doc, List.of(), v -> true, null, false,
        null);
  }

  public static Setting<Integer> integer(String name, int defaultValue, String doc) {
    return of(name, SettingType.INT, defaultValue, doc);
  }

  public static Setting<Long> longInteger(String name, long defaultValue, String doc) {
    return of(name, SettingType.LONG, defaultValue, doc);
  }

  public static Setting<Double> number(String name, double defaultValue, String doc) {
    return of(name, SettingType.DOUBLE, defaultValue, doc);
  }

  public static Setting<Boolean> flag(String name, boolean defaultValue, String doc) {
    return of(name, SettingType.BOOLEAN, defaultValue, doc);
  }

  public static Setting<String> text(String name, String defaultValue, String doc) {
    return of(name, SettingType.STRING, defaultValue, doc);
  }

  /** A schedule of a step count, set from a number (a constant) or a {@link Schedule}. */
  public static Setting<Schedule> schedule(String name, double defaultValue, String doc) {
    return of(name, SettingType.SCHEDULE, Schedule.constant(defaultValue), doc);
  }

  /** A piece from {@code registry}, default {@code defaultText} parsed by it. */
  public static <T> Setting<T> piece(String name, PieceRegistry<T> registry,
      String defaultText, String doc) {
    return of(name, SettingType.piece(registry), registry.parse(defaultText), doc);
  }

  /**
   * The same setting, whose values must satisfy {@code rule}; {@code requirement} completes
   * "NAME must be ..." in the error, e.g. "> 0" or "in [0, 1)".
   */
  public Setting<T> check(Predicate<? super T> rule, String requirement) {
    return new Setting<>(name, type, defaultValue, doc, aliases, rule, requirement,
        mayChangeOnResume, label, runOnly);
  }

  /** The same setting, also known by these names (e.g. MTT's spellings). */
  public Setting<T> aliases(String... names) {
    List<String> a = new ArrayList<>(aliases);
    a.addAll(List.of(names));
    return new Setting<>(name, type, defaultValue, doc, a, rule, requirement,
        mayChangeOnResume, label, runOnly);
  }

  /** The same setting, which a resumed run may change (e.g. iterations, lr_img). */
  public Setting<T> resumable() {
    return new Setting<>(name, type, defaultValue, doc, aliases, rule, requirement, true,
        label, runOnly);
  }

  /**
   * The same setting, which says how a run proceeds but not what it computes (how often it
   * saves or evaluates): a finished phase is reused whatever its value. Implies
   * {@link #resumable()}.
   */
  public Setting<T> runOnly() {
    return new Setting<>(name, type, defaultValue, doc, aliases, rule, requirement, true,
        label, true);
  }

  /** Whether this setting leaves what a phase computes unchanged ({@link #runOnly()}). */
  public boolean isRunOnly() {
    return runOnly;
  }

  /** The same setting, with a command-line parameter label (e.g. "RHO"). */
  public Setting<T> label(String paramLabel) {
    return new Setting<>(name, type, defaultValue, doc, aliases, rule, requirement,
        mayChangeOnResume, paramLabel, runOnly);
  }

  /** snake_case, e.g. "syn_steps". */
  public String name() {
    return name;
  }

  /** camelCase, e.g. "synSteps": the DSL property and the Java builder method. */
  public String camelName() {
    return camel(name);
  }

  /** Other names, as given (MTT's spellings). */
  public List<String> aliases() {
    return aliases;
  }

  /**
   * Command-line option names: {@code --syn-steps}, {@code --syn_steps} and the aliases,
   * each in both spellings ({@code --pix-init}, {@code --pix_init}).
   */
  public List<String> optionNames() {
    List<String> names = new ArrayList<>();
    names.add("--" + name.replace('_', '-'));
    if (name.contains("_")) {
      names.add("--" + name);
    }
    for (String a : aliases) {
      for (String o : List.of("--" + a.replace('_', '-'), "--" + a)) {
        if (!names.contains(o)) {
          names.add(o);
        }
      }
    }
    return names;
  }

  /** Whether {@code key} names this setting: snake_case, kebab-case, camelCase or an alias. */
  public boolean isNamed(String key) {
    String k = key.strip();
    return k.equals(name) || k.equals(name.replace('_', '-')) || k.equals(camelName())
        || aliases.contains(k) || k.replace('-', '_').toLowerCase(Locale.ROOT).equals(name)
        || camel(k.replace('-', '_')).equals(camelName());
  }

  public SettingType<T> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  /** One line with the unit, e.g. "N, student SGD steps unrolled per iteration". */
  public String doc() {
    return doc;
  }

  public boolean mayChangeOnResume() {
    return mayChangeOnResume;
  }

  /** The command-line parameter label, e.g. "N" (default: the name in capitals). */
  public String paramLabel() {
    return label != null ? label : name.toUpperCase(Locale.ROOT);
  }

  /**
   * {@code value}, checked against this setting's rule.
   *
   * @throws IllegalArgumentException "NAME must be REQUIREMENT, got VALUE"
   */
  public T validate(Object value) {
    checkNotNull(value, "%s must not be null", name);
    checkArgument(type.javaType().isInstance(value), "%s must be %s, got %s (%s)", names(),
        type.expected(), value, value.getClass().getSimpleName());
    T v = type.javaType().cast(value);
    checkArgument(rule.test(v), "%s must be %s, got %s", names(), requirement, type.format(v));
    return v;
  }

  /** "syn_steps (synSteps)": how the command line and Java / the DSL spell it. */
  private String names() {
    return name.equals(camelName()) ? name : name + " (" + camelName() + ")";
  }

  /**
   * Reads and checks a value from text.
   *
   * @throws IllegalArgumentException naming this setting and what it expects
   */
  public T parse(String text) {
    T v;
    try {
      v = type.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    return validate(v);
  }

  /** The text {@link #parse} reads back as {@code value}. */
  public String format(T value) {
    return type.format(value);
  }

  /** The JSON-ready value for config.json and checkpoints. */
  public Object plain(T value) {
    return type.plain(value);
  }


  @Override
  public String toString() {
    return name;
  }

  static String camel(String snake) {
    StringBuilder s = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        s.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return s.toString();
  }
}
