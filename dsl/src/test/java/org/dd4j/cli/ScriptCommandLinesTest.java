package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dd4j.buffer.BufferSettings;
import org.dd4j.distill.DistillConfig;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.settings.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code dd4j} command line of the committed shell scripts ({@code docs/runs/*.sh},
 * {@code scripts/*.sh}, {@code .ci/run}) parses with today's options: each is read out of its
 * script by {@link ShellCommandLines} (variables expanded, placeholders for what only a run
 * knows) and given to the real command line's {@code parseArgs}, which refuses an unknown or
 * renamed option and a value of the wrong type. Nothing runs.
 */
class ScriptCommandLinesTest {

  static final Path ROOT = Path.of("..");

  static List<Path> scripts() throws IOException {
    List<Path> out = new ArrayList<>(List.of(ROOT.resolve(".ci/run")));
    for (String dir : List.of("docs/runs", "scripts")) {
      try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
        s.filter(f -> f.toString().endsWith(".sh")).sorted().forEach(out::add);
      }
    }
    return out;
  }

  /**
   * The error of parsing {@code inv}, or null if it parses: picocli's (unknown option, wrong
   * arity) or a setting's (a value its setting rejects, read as the commands read them).
   */
  static String parseError(ShellCommandLines.Invocation inv) {
    try {
      ParseResult parsed = Dd4j.commandLine().parseArgs(inv.args().toArray(String[]::new));
      ParseResult sub = parsed.subcommand();
      String command = sub == null ? "" : sub.commandSpec().name();
      if (command.equals("distill")) {
        SettingOptions.apply(sub, DistillConfig.SCHEMA, "", DistillConfig.builder()::parse);
      }
      if (command.equals("buffer")) {
        SettingOptions.apply(sub, BufferSettings.SCHEMA, "",
            Settings.builder(BufferSettings.SCHEMA)::parse);
      }
      if (command.equals("distill") || command.equals("evaluate")) {
        SettingOptions.apply(sub, EvalConfig.SCHEMA, "eval-",
            Settings.builder(EvalConfig.SCHEMA)::parse);
      }
      return null;
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      return inv + "\n    -> " + e.getMessage();
    }
  }

  @Test
  void everyDd4jCommandLineOfTheScriptsParses() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    for (Path script : scripts()) {
      List<ShellCommandLines.Invocation> found = ShellCommandLines.of(script);
      counts.put(ROOT.relativize(script).toString(), found.size());
      for (ShellCommandLines.Invocation inv : found) {
        String error = parseError(inv);
        if (error != null) {
          errors.add(error);
        }
      }
      // every line that calls dd4j was read as an invocation (or calls a function that does)
      List<Integer> lines = found.stream().map(ShellCommandLines.Invocation::line).toList();
      for (var line : ShellCommandLines.logicalLines(Files.readString(script))) {
        String t = line.text().replaceAll("(^|\\s)#.*$", "").strip();
        if (!t.startsWith("#") && t.matches(".*(\\./dd4j|\\$D|\"\\$D\") [a-z].*")
            && !lines.contains(line.number())) {
          errors.add(script + ":" + line.number() + ": a dd4j call not read: " + t);
        }
      }
    }
    System.out.println("dd4j command lines checked per script: " + counts);
    if (!errors.isEmpty()) {
      fail(errors.size() + " command lines do not parse:\n" + String.join("\n", errors));
    }
    assertEquals(11, counts.get("docs/runs/ast-ablation-fmnist.sh"), counts.toString());
    assertTrue(counts.values().stream().mapToInt(Integer::intValue).sum() >= 30,
        counts.toString());
  }

  /** The reader expands what the scripts use, and a removed option fails the check. */
  @Test
  void theReaderExpandsVariablesFunctionsAndArraysAndARemovedOptionFails() {
    String script = String.join("\n",
        "#!/usr/bin/env bash",
        "D=${DD4J:-./dd4j}",
        "T=\"${THREADS:-2}\"",
        "ROW=(--ipc 10 --threads \"$T\")  # a comment",
        "row() {  # row NAME ARGS...",
        "  local name=$1; shift",
        "  $D distill --buffer b \"${ROW[@]}\" \\",
        "    --out \"runs/$name\" \"$@\" > \"log $name\" 2>&1",
        "}",
        "row a --ema-decay 0.98",
        "cat > x <<EOF",
        "./dd4j not a command",
        "EOF",
        "./dd4j distill --buffer b --no-baseline --eval-epochs \"$(echo 3)\"");
    List<ShellCommandLines.Invocation> found = ShellCommandLines.of(Path.of("t.sh"), script);
    assertEquals(2, found.size(), found.toString());
    assertEquals(List.of("distill", "--buffer", "b", "--ipc", "10", "--threads", "2",
        "--out", "runs/a", "--ema-decay", "0.98"), found.get(0).args());
    assertEquals(7, found.get(0).line());
    assertEquals(null, parseError(found.get(0)));
    assertEquals(List.of("distill", "--buffer", "b", "--no-baseline", "--eval-epochs", "1"),
        found.get(1).args());
    String error = parseError(found.get(1));
    assertTrue(error != null && error.contains("--no-baseline"), String.valueOf(error));
    assertTrue(parseError(new ShellCommandLines.Invocation(Path.of("t.sh"), 1, List.of(
        "distill", "--buffer", "b", "--ipc", "ten"))).contains("--ipc"));
  }
}
