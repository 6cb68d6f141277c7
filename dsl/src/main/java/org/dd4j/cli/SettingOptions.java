package org.dd4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.dd4j.settings.Setting;
import org.dd4j.settings.SettingType;
import org.dd4j.settings.SettingsSchema;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command-line options of a {@link SettingsSchema}, derived from its settings: one
 * option per setting, named {@code --PREFIXkebab-name} and {@code --PREFIXsnake_name} plus
 * the setting's aliases, described by its doc and default. A flag is negatable
 * ({@code --no-eval-random-baseline}); a repeatable one ({@code --regularizer}) joins its
 * values with its type's joiner; every other option takes one value, read by the setting's
 * type (pieces by their registry: {@code --matching "intermediate(weights=linear)"}).
 */
final class SettingOptions {

  private SettingOptions() {}

  /**
   * Adds {@code schema}'s options to {@code spec}.
   *
   * @param prefix put before each name, e.g. "eval-" for the evaluation settings of
   *     {@code dd4j distill} ({@code --eval-epochs}); aliases (MTT's spellings) are added as
   *     they are, unless another option of the command has that name already
   */
  static void add(CommandSpec spec, SettingsSchema schema, String prefix) {
    for (Setting<?> s : schema.settings()) {
      add(spec, s, prefix);
    }
  }

  /** Adds one setting's option to {@code spec} (a setting outside the command's schema). */
  static void add(CommandSpec spec, Setting<?> s, String prefix) {
    List<String> names = new ArrayList<>(names(s, prefix));
    names.removeIf(n -> spec.findOption(n) != null);
    spec.addOption(option(s, names));
  }

  /**
   * The value of {@code s}'s option if given on the command line, else its default.
   *
   * @throws IllegalArgumentException for a value the setting rejects, naming the option
   */
  static <T> T value(ParseResult parsed, Setting<T> s, String prefix) {
    OptionSpec o = parsed.matchedOption(names(s, prefix).get(0));
    if (o == null) {
      return s.defaultValue();
    }
    try {
      return s.parse(String.valueOf((Object) o.getValue()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(o.longestName() + ": " + e.getMessage(), e);
    }
  }

  private static <T> OptionSpec option(Setting<T> s, List<String> names) {
    String def = s.format(s.defaultValue());
    OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new))
        .description((capitalized(s.doc()) + " (default: " + def + ")."
            + (s.mayChangeOnResume() ? " May change on resume." : ""))
            .replace("%", "%%")); // picocli formats descriptions with String.format
    if (s.type() == SettingType.BOOLEAN) {
      return b.type(boolean.class).negatable(true).arity("0..1").fallbackValue("true").build();
    }
    if (s.type().joiner().isPresent()) { // repeatable: the values are joined before parsing
      return b.type(String[].class).arity("1").paramLabel(s.paramLabel()).build();
    }
    return b.type(String.class).arity("1").paramLabel(s.paramLabel()).build();
  }

  private static List<String> names(Setting<?> s, String prefix) {
    List<String> names = new ArrayList<>();
    for (String n : s.optionNames()) {
      boolean alias = s.aliases().stream().anyMatch(a -> n.equals("--" + a)
          || n.equals("--" + a.replace('_', '-')));
      String name = alias ? n : "--" + prefix + n.substring(2);
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * Passes each of {@code schema}'s options given on the command line to {@code set} as
   * (setting name, text), in schema order.
   *
   * @throws IllegalArgumentException from {@code set} for a value the setting rejects
   */
  static void apply(ParseResult parsed, SettingsSchema schema, String prefix,
      BiConsumer<String, String> set) {
    for (Setting<?> s : schema.settings()) {
      OptionSpec o = parsed.matchedOption(names(s, prefix).get(0));
      if (o != null) {
        Object v = o.getValue();
        String text = v instanceof String[] values
            ? String.join(s.type().joiner().orElseThrow(), values) : String.valueOf(v);
        try {
          set.accept(s.name(), text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(o.longestName() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private static String capitalized(String doc) {
    return doc.isEmpty() ? doc : Character.toUpperCase(doc.charAt(0)) + doc.substring(1);
  }
}
