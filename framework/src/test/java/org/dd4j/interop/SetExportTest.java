package org.dd4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dd4j.models.InputShape;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export -> load -> compare: the {@code .pt} export read back by dd4j's importer, and the
 * {@code .npz} and safetensors exports read by NumPy (python3 + numpy; CI installs
 * python3-numpy, and under {@code CI=true} a missing NumPy fails the test instead of
 * skipping it), each equal to the set bit for bit.
 */
class SetExportTest {

  @TempDir Path dir;

  static SyntheticSetFile.Loaded set(boolean soft) {
    int classes = 3;
    int ipc = 2;
    InputShape shape = new InputShape(4, 5, 3);
    int n = classes * ipc;
    float[] images = new float[n * shape.size()];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) Math.sin(0.37 * i) * 2.5f + (i % 7 == 0 ? 1e-7f : 0f);
    }
    float[] logits = null;
    if (soft) {
      logits = new float[n * classes];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = (float) Math.cos(1.3 * i) * 4f;
      }
    }
    SyntheticSet s = new SyntheticSet(images, SyntheticSet.classMajorLabels(classes, ipc),
        shape, classes, ipc, 0.0123456789012345, logits);
    return new SyntheticSetFile.Loaded(s, 40, Map.of("dataset", "cifar10", "ipc", ipc),
        Map.of("name", "normalize-reference", "mean", List.of(0.4914, 0.4822, 0.4465),
            "std", List.of(0.247, 0.2435, 0.2616)), "test");
  }

  @Test
  void ptExportReadsBackBitForBit() {
    for (boolean soft : new boolean[] {false, true}) {
      var loaded = set(soft);
      Path out = dir.resolve("pt-" + soft);
      List<String> files = SetExport.write(loaded, SetExport.Format.PT, out, null);
      assertTrue(files.containsAll(List.of("set.pt", "images_best.pt", "labels_best.pt",
          "lr_best.pt", "dd4j-set.json")), files.toString());
      assertEquals(loaded.set(), TorchSets.read(out.resolve("set.pt"), null, null, null));
      assertEquals(loaded.set(), TorchSets.read(out.resolve("images_best.pt"),
          out.resolve("labels_best.pt"), null, out.resolve("lr_best.pt")));
    }
  }

  @Test
  void imagesExportWritesOnePngPerImageAndTheLabels() throws IOException {
    Path out = dir.resolve("png");
    SetExport.write(set(false), SetExport.Format.IMAGES, out, null);
    assertEquals(6, Files.list(out.resolve("images")).count());
    List<String> csv = Files.readAllLines(out.resolve("labels.csv"));
    assertEquals("file,label", csv.get(0));
    assertEquals("images/00005.png,2", csv.get(6));
    assertTrue(Files.readString(out.resolve("dd4j-set.json")).contains("\"mean\""));
  }

  @Test
  void anExistingOutputIsRefused() throws IOException {
    Path out = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(out.resolve("x"), "mine");
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SetExport.write(set(false), SetExport.Format.NPZ, out, null)).getMessage()
        .contains("already exists"));
    assertEquals("mine", Files.readString(out.resolve("x")));
  }

  @Test
  void npzAndSafetensorsReadByNumpyEqualTheSet() throws Exception {
    for (boolean soft : new boolean[] {false, true}) {
      var loaded = set(soft);
      Path npz = dir.resolve("npz-" + soft);
      SetExport.write(loaded, SetExport.Format.NPZ, npz, null);
      Path st = dir.resolve("st-" + soft);
      SetExport.write(loaded, SetExport.Format.SAFETENSORS, st, null);
      // NumPy prints the values it read as float.hex / int; compared bit for bit here.
      String py = String.join("\n",
          "import json, struct, sys, numpy as np",
          "d = np.load(sys.argv[1], allow_pickle=False)",
          "raw = open(sys.argv[2], 'rb').read()",
          "n = struct.unpack('<Q', raw[:8])[0]",
          "h = json.loads(raw[8:8 + n])",
          "def st(name):",
          "    t = h[name]; b, e = t['data_offsets']",
          "    dt = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8'}[t['dtype']]",
          "    return np.frombuffer(raw[8 + n + b:8 + n + e], dtype=dt).reshape(t['shape'])",
          "for name in d.files:",
          "    if d[name].dtype.kind == 'U':",
          "        print(name, json.dumps(json.loads(str(d[name])), sort_keys=True)); continue",
          "    a = d[name]",
          "    assert np.array_equal(a, st(name)), name",
          "    assert a.dtype == st(name).dtype, name",
          "    print(name, a.dtype, list(a.shape), ' '.join(",
          "        float(v).hex() if a.dtype.kind == 'f' else str(int(v)) for v in a.ravel()))",
          "print('metadata', json.dumps(json.loads(h['__metadata__']['config']),"
              + " sort_keys=True))");
      String out = python(py, npz.resolve("set.npz").toString(),
          st.resolve("set.safetensors").toString());
      SyntheticSet s = loaded.set();
      InputShape sh = s.shape();
      float[] nchw = TorchSets.nhwcToNchw(s.images(), s.count(), sh.height(), sh.width(),
          sh.channels());
      assertEquals("images float32 [6, 3, 4, 5] " + hex(nchw), line(out, "images"));
      assertEquals("labels int64 [6] 0 0 1 1 2 2", line(out, "labels"));
      assertEquals("syn_lr float64 [] " + pyHex(s.synLr()), line(out, "syn_lr"));
      if (soft) {
        assertEquals("label_logits float32 [6, 3] " + hex(s.labelLogits()),
            line(out, "label_logits"));
      } else {
        assertTrue(!out.contains("label_logits"), out);
      }
      assertEquals("config {\"dataset\": \"cifar10\", \"ipc\": 2}", line(out, "config"));
      assertEquals("metadata {\"dataset\": \"cifar10\", \"ipc\": 2}", line(out, "metadata"));
      assertTrue(line(out, "preprocessing").contains("normalize-reference"), out);
    }
  }

  private static String line(String out, String key) {
    return out.lines().filter(l -> l.startsWith(key + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no line " + key + " in:\n" + out));
  }

  /** Python's float.hex of each value (Java's toHexString spells the same number alike). */
  private static String hex(float[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      s.append(i > 0 ? " " : "").append(pyHex(v[i]));
    }
    return s.toString();
  }

  private static String pyHex(double d) {
    if (d == 0) {
      return (1 / d < 0 ? "-" : "") + "0x0.0p+0";
    }
    // Python: 0x1.8000000000000p+0 (13 hex digits); Java: 0x1.8p0 (trimmed)
    String j = Double.toHexString(d);
    int p = j.indexOf('p');
    String mant = j.substring(0, p);
    String exp = j.substring(p + 1);
    int dot = mant.indexOf('.');
    String frac = mant.substring(dot + 1);
    frac = frac + "0".repeat(13 - frac.length());
    return mant.substring(0, dot + 1) + frac + "p" + (exp.startsWith("-") ? exp : "+" + exp);
  }

  /** Runs python3 with NumPy; skips when either is absent outside CI, fails under CI=true. */
  static String python(String script, String... args) throws Exception {
    String[] cmd = new String[3 + args.length];
    // Debian's interpreter (another python3 earlier on PATH may lack NumPy)
    cmd[0] = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    cmd[1] = "-c";
    cmd[2] = script;
    System.arraycopy(args, 0, cmd, 3, args.length);
    boolean ci = "true".equals(System.getenv("CI"));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      if (ci) {
        fail("CI=true but python3 cannot be started: " + e.getMessage());
      }
      assumeTrue(false, "python3 is not installed: the NumPy check is skipped (CI runs it)");
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 timed out");
    if (p.exitValue() != 0 && out.contains("No module named 'numpy'")) {
      if (ci) {
        fail("CI=true but NumPy is missing (.ci/run installs python3-numpy): " + out);
      }
      assumeTrue(false, "NumPy is not installed for python3: the check is skipped (CI runs"
          + " it; apt-get install python3-numpy)");
    }
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
