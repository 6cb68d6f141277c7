package org.dd4j.schedule;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Schedules written as text, so that a setting holding one (a regularizer's weight) reads the
 * same from the command line, {@code --set}, config.json and a script: a number (a constant),
 * {@code cosine(base=B, steps=S, final=F)} ({@link Schedule#cosine}) or
 * {@code linear(from=A, to=B, steps=S)} ({@link Schedule#linearRamp}). {@link #describe} prints
 * what {@link #parse} reads back; a schedule written as a function (a lambda) cannot be read
 * back and is described by its values at steps 0, 1, 10, 100, 1000 and 10000.
 */
public final class ScheduleText {

  private ScheduleText() {}

  /** A schedule with the text that re-creates it. */
  private record Described(String text, Schedule schedule) implements Schedule {
    @Override
    public double at(long step) {
      return schedule.at(step);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@link Schedule#constant}, described as its number. */
  public static Schedule constant(double value) {
    return new Described(number(value), Schedule.constant(value));
  }

  /** {@link Schedule#cosine}, described as {@code cosine(base=.., steps=.., final=..)}. */
  public static Schedule cosine(double base, long steps, double finalFraction) {
    return new Described("cosine(base=" + number(base) + ", steps=" + steps + ", final="
        + number(finalFraction) + ")", Schedule.cosine(base, steps, finalFraction));
  }

  /** {@link Schedule#linearRamp}, described as {@code linear(from=.., to=.., steps=..)}. */
  public static Schedule linear(double from, double to, long steps) {
    return new Described("linear(from=" + number(from) + ", to=" + number(to) + ", steps="
        + steps + ")", Schedule.linearRamp(from, to, steps));
  }

  /**
   * The schedule a text names.
   *
   * @throws IllegalArgumentException for anything else, saying what is accepted
   */
  public static Schedule parse(String text) {
    checkNotNull(text, "text");
    String s = text.strip();
    try {
      return constant(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      // not a number: a named schedule
    }
    int open = s.indexOf('(');
    checkArgument(open > 0 && s.endsWith(")"), "expected a number, cosine(base=B, steps=S,"
        + " final=F) or linear(from=A, to=B, steps=S), got '%s'", s);
    String name = s.substring(0, open).strip().toLowerCase(Locale.ROOT);
    checkArgument(!name.equals("samples"), "'%s' describes a schedule written as a function,"
        + " which cannot be read back; write a number, cosine(...) or linear(...)", s);
    checkArgument(name.equals("cosine") || name.equals("linear"), "unknown schedule '%s' in"
        + " '%s'; expected a number, cosine(base=B, steps=S, final=F) or linear(from=A, to=B,"
        + " steps=S)", name, s);
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : s.substring(open + 1, s.length() - 1).split(",")) {
      if (a.isBlank()) {
        continue;
      }
      int eq = a.indexOf('=');
      checkArgument(eq > 0, "in '%s', arguments are key=value, got '%s'", s, a.strip());
      args.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
    }
    Schedule out = switch (name) {
      case "cosine" -> cosine(num(s, args, "base", null), (long) num(s, args, "steps", null),
          num(s, args, "final", 0.0));
      case "linear" -> linear(num(s, args, "from", null), num(s, args, "to", null),
          (long) num(s, args, "steps", null));
      default -> throw new IllegalArgumentException("unknown schedule '" + name + "' in '" + s
          + "'; expected a number, cosine(base=B, steps=S, final=F) or"
          + " linear(from=A, to=B, steps=S)");
    };
    checkArgument(args.isEmpty(), "unknown argument(s) %s in '%s'", args.keySet(), s);
    return out;
  }

  private static double num(String s, Map<String, String> args, String key, Double def) {
    String v = args.remove(key);
    if (v == null) {
      checkArgument(def != null, "'%s' needs %s=...", s, key);
      return def;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("in '" + s + "', " + key + " must be a number, got '"
          + v + "'", e);
    }
  }

  /**
   * The text {@link #parse} reads back for a schedule made here or parsed; for any other
   * schedule {@code samples(0=v, 1=v, 10=v, 100=v, 1000=v, 10000=v)}, which is not read back.
   */
  public static String describe(Schedule s) {
    checkNotNull(s, "schedule");
    if (s instanceof Described d) {
      return d.text();
    }
    StringBuilder b = new StringBuilder("samples(");
    long[] at = {0, 1, 10, 100, 1000, 10000};
    for (int i = 0; i < at.length; i++) {
      b.append(i == 0 ? "" : ", ").append(at[i]).append('=').append(number(s.at(at[i])));
    }
    return b.append(')').toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
        : String.valueOf(v);
  }
}
