package org.dd4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code dd4j} command lines of a bash script, as the words bash would pass, read without
 * running the script: backslash continuations joined, comments dropped, variables expanded
 * from the script's own assignments ({@code A="..."}, arrays {@code A=(...)}, {@code
 * ${A:-default}}), functions expanded at their calls with their arguments (and {@code
 * shift}), redirections dropped; a variable the script does not set, {@code $(...)} and
 * {@code $((...))} become the placeholder "1". An invocation is {@code ./dd4j ...} (also
 * through a variable such as {@code D=${DD4J:-./dd4j}}) or a command naming the class
 * {@code org.dd4j.cli.Dd4j} followed by its jar (spark-submit): the words after it.
 *
 * <p>A reader for the scripts of this repository (a straight-line interpreter: every branch of
 * an {@code if} or {@code case} is read, loops once), not a shell.
 */
final class ShellCommandLines {

  /** One dd4j invocation: its arguments after {@code dd4j}, and where it is. */
  record Invocation(Path file, int line, List<String> args) {
    @Override
    public String toString() {
      return file + ":" + line + ": dd4j " + String.join(" ", args);
    }
  }

  static final String PLACEHOLDER = "1";
  private static final Pattern FUNCTION =
      Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*\\(\\)\\s*\\{(.*)$");
  private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$",
      Pattern.DOTALL);
  private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*['\"]?([A-Za-z_]+)");
  private static final Set<String> KEYWORDS = Set.of("then", "do", "else", "elif", "if",
      "while", "until", "!", "{", "}", "time", "local", "export", "fi", "done", "esac", ";;");

  private final Path file;
  private final Map<String, List<String>> vars = new HashMap<>();
  private final Map<String, List<Line>> functions = new HashMap<>();
  private final List<Invocation> found = new ArrayList<>();

  /** One logical line and the number of its first physical line. */
  record Line(int number, String text) {}

  private ShellCommandLines(Path file) {
    this.file = file;
  }

  static List<Invocation> of(Path file) throws IOException {
    return of(file, Files.readString(file));
  }

  static List<Invocation> of(Path file, String text) {
    ShellCommandLines s = new ShellCommandLines(file);
    List<Line> lines = logicalLines(text);
    s.run(lines, List.of());
    return s.found;
  }

  /** Lines with backslash-newline continuations joined, numbered by their first line. */
  static List<Line> logicalLines(String text) {
    List<Line> out = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    StringBuilder b = new StringBuilder();
    int start = -1;
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i];
      if (start < 0) {
        start = i + 1;
      }
      if (l.endsWith("\\") && !l.strip().startsWith("#")) {
        b.append(l, 0, l.length() - 1).append(' ');
        continue;
      }
      b.append(l);
      out.add(new Line(start, b.toString()));
      b.setLength(0);
      start = -1;
    }
    return out;
  }

  private void run(List<Line> lines, List<String> args) {
    List<String> positional = new ArrayList<>(args);
    String heredocEnd = null;
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      if (heredocEnd != null) { // the document's lines are text, not commands
        heredocEnd = line.text().strip().equals(heredocEnd) ? null : heredocEnd;
        continue;
      }
      Matcher here = HEREDOC.matcher(line.text());
      if (here.find()) {
        heredocEnd = here.group(1);
      }
      Matcher f = FUNCTION.matcher(line.text());
      if (f.matches()) {
        List<Line> body = new ArrayList<>();
        String rest = f.group(2).strip();
        if (rest.endsWith("}")) { // one line: name() { ...; }
          body.add(new Line(line.number(), rest.substring(0, rest.length() - 1)));
        } else {
          body.add(new Line(line.number(), rest));
          while (++i < lines.size() && !lines.get(i).text().strip().startsWith("}")) {
            String t = lines.get(i).text();
            boolean last = t.strip().endsWith("}") && !t.strip().endsWith("${@}");
            body.add(new Line(lines.get(i).number(), last
                ? t.substring(0, t.lastIndexOf('}')) : t));
            if (last) {
              break;
            }
          }
        }
        functions.put(f.group(1), body);
        continue;
      }
      for (List<String> command : new Words(line, line.text(), positional).commands()) {
        execute(line, command, positional);
      }
    }
  }

  private void execute(Line line, List<String> words, List<String> positional) {
    int i = 0;
    while (i < words.size() && KEYWORDS.contains(words.get(i))) {
      i++;
    }
    // assignments, also "local a=1 b=(x y)"
    while (i < words.size()) {
      Matcher a = ASSIGNMENT.matcher(words.get(i));
      if (!a.matches()) {
        break;
      }
      if (a.group(2).isEmpty() && i + 1 < words.size() && words.get(i + 1).equals("(")) {
        int close = words.indexOf(")");
        int end = close > i ? close : words.size();
        vars.put(a.group(1), List.copyOf(words.subList(i + 2, end)));
        i = end + 1;
      } else {
        vars.put(a.group(1), List.of(a.group(2)));
        i++;
      }
    }
    if (i >= words.size()) {
      return;
    }
    String command = words.get(i);
    List<String> rest = words.subList(i + 1, words.size());
    if (command.equals("shift")) {
      if (!positional.isEmpty()) {
        positional.remove(0);
      }
    } else if (command.equals("dd4j") || command.endsWith("/dd4j")) {
      found.add(new Invocation(file, line.number(), List.copyOf(rest)));
    } else if (functions.containsKey(command)) {
      run(functions.get(command), rest);
    } else if (rest.contains("org.dd4j.cli.Dd4j")) {
      int at = rest.indexOf("org.dd4j.cli.Dd4j") + 2; // the class, then its jar
      found.add(new Invocation(file, line.number(),
          List.copyOf(rest.subList(Math.min(at, rest.size()), rest.size()))));
    }
  }

  /** The commands of one logical line, split at ; && || | & ( ) and case arms. */
  private final class Words {
    private final Line line;
    private final String s;
    private final List<String> positional;
    private int p;
    private final List<List<String>> commands = new ArrayList<>();
    private List<String> words = new ArrayList<>();
    private StringBuilder word;

    Words(Line line, String s, List<String> positional) {
      this.line = line;
      this.s = s;
      this.positional = positional;
    }

    List<List<String>> commands() {
      while (p < s.length()) {
        char c = s.charAt(p);
        if (Character.isWhitespace(c)) {
          endWord();
          p++;
        } else if (c == '#' && word == null) {
          break;
        } else if (c == '\\' && p + 1 < s.length()) {
          append(String.valueOf(s.charAt(p + 1)));
          p += 2;
        } else if (c == '\'') {
          int end = s.indexOf('\'', p + 1);
          append(s.substring(p + 1, end < 0 ? s.length() : end));
          p = end < 0 ? s.length() : end + 1;
        } else if (c == '"') {
          doubleQuoted();
        } else if (c == '$') {
          dollar(false);
        } else if (c == '>' || c == '<') {
          redirection();
        } else if (c == ';' || c == '&' || c == '|') {
          endWord();
          endCommand();
          p++;
        } else if (c == '(' || c == ')') {
          // "a=(" starts an array; otherwise a subshell or a case pattern ends a command
          if (c == '(' && word != null && word.toString().endsWith("=")) {
            endWord();
            words.add("(");
          } else if (c == ')' && words.contains("(") && !words.contains(")")) {
            endWord();
            words.add(")");
          } else {
            endWord();
            endCommand();
          }
          p++;
        } else {
          append(String.valueOf(c));
          p++;
        }
      }
      endWord();
      endCommand();
      return commands;
    }

    private void append(String text) {
      if (word == null) {
        word = new StringBuilder();
      }
      word.append(text);
    }

    private void endWord() {
      if (word != null) {
        words.add(word.toString());
        word = null;
      }
    }

    private void endCommand() {
      if (!words.isEmpty()) {
        commands.add(words);
      }
      words = new ArrayList<>();
    }

    /** Drops a redirection ({@code > f}, {@code 2>&1}, {@code < f}) and its target. */
    private void redirection() {
      if (word != null && word.toString().matches("[0-9]+")) {
        word = null; // the 2 of 2>...
      }
      endWord();
      p++;
      while (p < s.length() && (s.charAt(p) == '>' || s.charAt(p) == '&')) {
        p++;
      }
      while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
        p++;
      }
      while (p < s.length() && !Character.isWhitespace(s.charAt(p))
          && ";|&)".indexOf(s.charAt(p)) < 0) {
        char c = s.charAt(p);
        if (c == '"' || c == '\'') {
          int close = s.indexOf(c, p + 1);
          p = close < 0 ? s.length() : close + 1;
        } else {
          p++;
        }
      }
    }

    private void doubleQuoted() {
      int end = p + 1;
      // "$@" and "${A[@]}" alone in quotes: one word per element
      String rest = s.substring(p);
      Matcher all = Pattern.compile("^\"(\\$@|\\$\\{@\\}|\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\[@\\]\\})\"")
          .matcher(rest);
      if (all.find() && word == null) {
        List<String> values = all.group(2) == null ? positional
            : vars.getOrDefault(all.group(2), List.of());
        endWord();
        words.addAll(values);
        p += all.end();
        return;
      }
      append("");
      p = end;
      while (p < s.length() && s.charAt(p) != '"') {
        char c = s.charAt(p);
        if (c == '\\' && p + 1 < s.length()) {
          append(String.valueOf(s.charAt(p + 1)));
          p += 2;
        } else if (c == '$') {
          dollar(true);
        } else {
          append(String.valueOf(c));
          p++;
        }
      }
      p++;
    }

    /** $NAME, ${...}, $(...), $((...)), $1, $@ at p. */
    private void dollar(boolean quoted) {
      p++;
      if (p >= s.length()) {
        append("$");
        return;
      }
      char c = s.charAt(p);
      List<String> value;
      if (c == '(') {
        int open = p;
        int depth = 0;
        while (p < s.length()) {
          char d = s.charAt(p++);
          if (d == '(') {
            depth++;
          } else if (d == ')' && --depth == 0) {
            break;
          }
        }
        String inner = s.substring(open + 1, Math.max(open + 1, p - 1));
        if (!inner.startsWith("(")) { // $(command): read its commands too; $((arithmetic))
          for (List<String> command : new Words(line, inner, positional).commands()) {
            execute(line, command, positional);
          }
        }
        value = List.of(PLACEHOLDER);
      } else if (c == '{') {
        int end = s.indexOf('}', p);
        String inner = s.substring(p + 1, end < 0 ? s.length() : end);
        p = end < 0 ? s.length() : end + 1;
        value = braced(inner);
      } else if (Character.isDigit(c)) {
        p++;
        int n = c - '0';
        value = n >= 1 && n <= positional.size() ? List.of(positional.get(n - 1))
            : List.of(PLACEHOLDER);
      } else if (c == '@' || c == '*') {
        p++;
        value = positional;
      } else if (c == '#' || c == '?' || c == '$' || c == '!') {
        p++;
        value = List.of(PLACEHOLDER);
      } else {
        int start = p;
        while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p))
            || s.charAt(p) == '_')) {
          p++;
        }
        if (p == start) {
          append("$");
          return;
        }
        value = variable(s.substring(start, p));
      }
      if (quoted) {
        append(String.join(" ", value));
        return;
      }
      // unquoted: split into words
      List<String> split = new ArrayList<>();
      for (String v : value) {
        for (String w : v.strip().split("\\s+")) {
          if (!w.isEmpty()) {
            split.add(w);
          }
        }
      }
      for (int k = 0; k < split.size(); k++) {
        if (k > 0) {
          endWord();
        }
        append(split.get(k));
      }
    }

    private List<String> variable(String name) {
      List<String> v = vars.get(name);
      return v != null ? v : List.of(PLACEHOLDER);
    }

    /** ${A}, ${A:-default}, ${A:?message}, ${A[@]}; other forms give the placeholder. */
    private List<String> braced(String inner) {
      Matcher m = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*|[0-9]|\\*|@)(\\[@\\])?(:?[-?])?(.*)$",
          Pattern.DOTALL).matcher(inner);
      if (!m.matches() || (m.group(3) == null && !m.group(4).isEmpty())) {
        return List.of(PLACEHOLDER); // ${#A[@]}, ${1%-*}, ...
      }
      String name = m.group(1);
      List<String> value = name.equals("*") || name.equals("@") ? positional
          : Character.isDigit(name.charAt(0))
              ? (Integer.parseInt(name) >= 1 && Integer.parseInt(name) <= positional.size()
                  ? List.of(positional.get(Integer.parseInt(name) - 1)) : null)
              : vars.get(name);
      boolean set = value != null && !(value.isEmpty() || value.equals(List.of("")));
      if (set) {
        return value;
      }
      if (m.group(3) != null && m.group(3).endsWith("-")) { // the default, expanded
        List<List<String>> d = new Words(line, m.group(4), positional).commands();
        return d.isEmpty() ? List.of() : d.get(0);
      }
      return List.of(PLACEHOLDER);
    }
  }
}
