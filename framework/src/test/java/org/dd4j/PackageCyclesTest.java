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
 * The framework's top-level packages ({@code org.dd4j.X}) form no cycle, so the layers stay
 * readable: phases (buffer, distill, evaluate, select) depend on storage, storage on the
 * plain data (models, synthetic), and report and experiment consume everything. An edge
 * X -> Y is an {@code import org.dd4j.Y...} line, static or not, or a fully qualified
 * {@code org.dd4j.Y.} name in code, in a main source file of X; the root package
 * {@code org.dd4j} counts as a package of its own. The dsl module (CLI and scripts) may
 * import anything and is not checked.
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
}
