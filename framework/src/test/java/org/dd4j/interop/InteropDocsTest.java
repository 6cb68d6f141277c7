package org.dd4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dd4j.storage.SyntheticSetFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python snippets of docs/interop.md marked {@code <!-- run: numpy -->} run against
 * exports of a set (NumPy: python3-numpy, installed by CI; missing NumPy fails under
 * CI=true, else skips), and docs/synthetic-set-format.md's pyarrow snippet against a
 * version-2 file where pyarrow is installed (skipped, saying so, where it is not).
 */
class InteropDocsTest {

  private static final Pattern SNIPPET = Pattern.compile(
      "<!-- run: (\\w+)[^\\n]*-->\\s*```python\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  static List<String[]> snippets(Path doc) throws Exception {
    Matcher m = SNIPPET.matcher(Files.readString(doc));
    List<String[]> out = new ArrayList<>();
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  @Test
  void numpySnippetsOfInteropMdRun() throws Exception {
    var loaded = SetExportTest.set(false);
    SetExport.write(loaded, SetExport.Format.NPZ, dir.resolve("npz"), null);
    SetExport.write(loaded, SetExport.Format.SAFETENSORS, dir.resolve("safetensors"), null);
    List<String[]> numpy = snippets(Path.of("../docs/interop.md")).stream()
        .filter(s -> s[0].equals("numpy")).toList();
    assertEquals(2, numpy.size(), "numpy snippets in docs/interop.md");
    for (String[] s : numpy) {
      String out = run(s[1], true);
      assertTrue(out.contains("(6, 3, 4, 5)") && out.contains("0.0123456789012345"), out);
    }
  }

  @Test
  void pyarrowSnippetOfTheSetFormatRunsWhereInstalled() throws Exception {
    var loaded = SetExportTest.set(true);
    SyntheticSetFile.write(dir.resolve("syn-final.arrow"), loaded.set(), 40, loaded.config(),
        loaded.preprocessing());
    List<String[]> arrow = snippets(Path.of("../docs/synthetic-set-format.md")).stream()
        .filter(s -> s[0].equals("pyarrow")).toList();
    assertEquals(1, arrow.size(), "the pyarrow snippet in docs/synthetic-set-format.md");
    String probe = run("import pyarrow", false);
    assumeTrue(probe != null, "pyarrow is not installed for /usr/bin/python3: the snippet of"
        + " docs/synthetic-set-format.md is not run here (pip install pyarrow to run it)");
    String out = run(arrow.get(0)[1], true);
    assertTrue(out.contains("(6, 4, 5, 3)") && out.contains("normalize-reference"), out);
  }

  /** Runs python in {@link #dir}; null if it fails and {@code mustPass} is false. */
  private String run(String code, boolean mustPass) throws Exception {
    if (mustPass) {
      SetExportTest.python("import numpy"); // skips or fails (CI) without python3 + NumPy
    }
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3"
        : "python3";
    Process p = new ProcessBuilder(python, "-c", code).directory(dir.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    if (!mustPass) {
      return p.exitValue() == 0 ? out : null;
    }
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
