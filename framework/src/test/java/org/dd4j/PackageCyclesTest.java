package org.dd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The framework's top-level packages ({@code org.dd4j.X}) form no cycle, and their dependencies are
 * the ones docs/architecture.md lists (section 1), so the map cannot drift from the code. The
 * layers stay readable: phases (buffer, distill, evaluate, select) depend on storage, storage on
 * the plain data (models, synthetic), and report and experiment consume everything. An edge X -> Y
 * is an {@code import org.dd4j.Y...} line, static or not, or a fully qualified {@code org.dd4j.Y.}
 * name in code, in a main source file of X; the root package {@code org.dd4j} counts as a package
 * of its own. The dsl module (CLI and scripts) may import anything and is not checked.
 */
class PackageCyclesTest {

  private static final Path MAIN = Path.of("src/main/java/org/dd4j");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?org\\.dd4j\\.(\\w+)");
  private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.dd4j\\.([a-z]\\w*)\\.");

  /** Package -> packages it uses -> one file that shows it (for the message). */
  static Map<String, Map<String, String>> dependencies(Path root) {
    Map<String, Map<String, String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Path rel = root.relativize(f);
        String from = rel.getNameCount() == 1 ? "(root)" : rel.getName(0).toString();
        Map<String, String> out = deps.computeIfAbsent(from, k -> new TreeMap<>());
        for (String line : Files.readAllLines(f)) {
          String s = line.strip();
          if (s.startsWith("*") || s.startsWith("//") || s.startsWith("/*")
              || s.startsWith("package ")) {
            continue;
          }
          Matcher m = IMPORT.matcher(s);
          List<String> used = new ArrayList<>();
          if (m.find()) {
            // org.dd4j.Dd4jVersion is the root package; org.dd4j.x.Y is package x
            used.add(Character.isUpperCase(m.group(1).charAt(0)) ? "(root)" : m.group(1));
          } else {
            Matcher q = QUALIFIED.matcher(s);
            while (q.find()) {
              used.add(q.group(1));
            }
          }
          for (String to : used) {
            if (!to.equals(from)) {
              out.putIfAbsent(to, root.relativize(f).toString());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deps;
  }

  /** A cycle through the graph as a list of packages (first = last), if there is one. */
  static Optional<List<String>> findCycle(Map<String, Map<String, String>> deps) {
    Set<String> done = new TreeSet<>();
    for (String start : deps.keySet()) {
      List<String> path = new ArrayList<>();
      Optional<List<String>> c = visit(start, deps, path, done);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> visit(String p, Map<String, Map<String, String>> deps,
      List<String> path, Set<String> done) {
    int at = path.indexOf(p);
    if (at >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
      cycle.add(p);
      return Optional.of(cycle);
    }
    if (done.contains(p)) {
      return Optional.empty();
    }
    path.add(p);
    for (String next : deps.getOrDefault(p, Map.of()).keySet()) {
      Optional<List<String>> c = visit(next, deps, path, done);
      if (c.isPresent()) {
        return c;
      }
    }
    path.remove(path.size() - 1);
    done.add(p);
    return Optional.empty();
  }

  @Test
  void mainPackagesHaveNoCycle() {
    assertTrue(Files.isDirectory(MAIN), "run from the framework module: " + MAIN.toAbsolutePath());
    Map<String, Map<String, String>> deps = dependencies(MAIN);
    StringBuilder graph = new StringBuilder();
    deps.forEach((p, to) -> graph.append(p).append(" -> ").append(to.keySet()).append('\n'));
    Optional<List<String>> cycle = findCycle(deps);
    StringBuilder why = new StringBuilder();
    cycle.ifPresent(c -> {
      for (int i = 0; i + 1 < c.size(); i++) {
        why.append(String.format("%n  %s -> %s (e.g. %s)", c.get(i), c.get(i + 1),
            deps.get(c.get(i)).get(c.get(i + 1))));
      }
    });
    assertEquals(Optional.empty(), cycle, "package cycle:" + why + "\nall edges:\n" + graph);
  }

  @Test
  void findsACycle() {
    Map<String, Map<String, String>> deps = Map.of("a", Map.of("b", "a/A.java"),
        "b", Map.of("c", "b/B.java"), "c", Map.of("a", "c/C.java"), "d", Map.of("a", "d/D.java"));
    assertEquals(Optional.of(List.of("a", "b", "c", "a")), findCycle(new TreeMap<>(deps)));
    assertEquals(Optional.empty(), findCycle(Map.of("a", Map.of("b", "x"), "b", Map.of())));
  }

  private static final Path ARCHITECTURE = Path.of("../docs/architecture.md");
  private static final Pattern DOC_EDGE = Pattern.compile("^([(a-z][\\w(), ]*?)\\s+->\\s+(.+)$");

  /**
   * The dependency list of docs/architecture.md, section 1 (its first code block): lines
   * {@code X -> a, b} or {@code X, Y -> (nothing in dd4j)}; lines about the dsl module are
   * skipped.
   */
  static Map<String, Set<String>> documented(List<String> doc) {
    int section = -1;
    for (int i = 0; i < doc.size(); i++) {
      if (doc.get(i).startsWith("## 1.")) {
        section = i;
        break;
      }
    }
    assertTrue(section >= 0, "docs/architecture.md has no section '## 1.'");
    int open = section + 1;
    while (open < doc.size() && !doc.get(open).startsWith("```")) {
      open++;
    }
    Map<String, Set<String>> out = new TreeMap<>();
    for (int i = open + 1; i < doc.size() && !doc.get(i).startsWith("```"); i++) {
      String line = doc.get(i);
      Matcher m = DOC_EDGE.matcher(line);
      if (line.startsWith("dsl module") || line.isBlank() || Character.isWhitespace(
          line.charAt(0)) || !m.matches()) {
        continue;
      }
      Set<String> to = new TreeSet<>();
      if (!m.group(2).strip().equals("(nothing in dd4j)")) {
        for (String p : m.group(2).split(",")) {
          to.add(p.strip());
        }
      }
      for (String from : m.group(1).split(",")) {
        out.put(from.strip(), to);
      }
    }
    return out;
  }

  /** The list as docs/architecture.md writes it, for the message of a mismatch. */
  private static String asDoc(Map<String, Set<String>> deps) {
    StringBuilder s = new StringBuilder();
    deps.forEach((p, to) -> s.append(String.format("%-11s -> %s%n", p,
        to.isEmpty() ? "(nothing in dd4j)" : String.join(", ", to))));
    return s.toString();
  }

  /** The map of docs/architecture.md is the one the imports draw, package by package. */
  @Test
  void theDocumentedDependencyListIsTheImports() throws IOException {
    Map<String, Set<String>> actual = new TreeMap<>();
    dependencies(MAIN).forEach((p, to) -> actual.put(p, new TreeSet<>(to.keySet())));
    Map<String, Set<String>> doc = documented(Files.readAllLines(ARCHITECTURE));
    Set<String> packages = new TreeSet<>(actual.keySet());
    packages.addAll(doc.keySet());
    List<String> wrong = new ArrayList<>();
    for (String p : packages) {
      Set<String> d = doc.get(p);
      Set<String> a = actual.getOrDefault(p, Set.of());
      if (d == null) {
        wrong.add(p + " is missing (its imports: " + a + ")");
      } else if (!d.equals(a)) {
        Set<String> extra = new TreeSet<>(d);
        extra.removeAll(a);
        Set<String> missing = new TreeSet<>(a);
        missing.removeAll(d);
        wrong.add(p + ": documented but not imported " + extra + ", imported but not "
            + "documented " + missing);
      }
    }
    assertEquals(List.of(), wrong, "docs/architecture.md section 1 differs from the imports "
        + "of framework/src/main/java; the list as it is:\n" + asDoc(actual));
  }

  @Test
  void readsTheDocumentedList() {
    List<String> doc = List.of("# x", "## 1. Which way", "text", "```",
        "(root), data -> (nothing in dd4j)", "storage     -> (root), data",
        "dsl module: org.dd4j.dsl -> augment", "            org.dd4j.cli -> all", "```",
        "a -> b");
    assertEquals(Map.of("(root)", Set.of(), "data", Set.of(), "storage",
        Set.of("(root)", "data")), documented(doc));
  }
}
