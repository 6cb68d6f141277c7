package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dd4j.storage.BufferRecord;
import org.dd4j.storage.DistillRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

  /** Exit code, stdout and stderr of one in-process run. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Dd4j.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** root/{train,test}/{dark,light}/*.png: 8x8 RGB, dark vs light images. */
  static Path tinyImageFolder(Path root) throws Exception {
    Random r = new Random(1);
    for (String split : new String[] {"train", "test"}) {
      for (String cls : new String[] {"dark", "light"}) {
        Path dir = Files.createDirectories(root.resolve(split).resolve(cls));
        int n = split.equals("train") ? 24 : 8;
        for (int i = 0; i < n; i++) {
          BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
              int v = (cls.equals("dark") ? 20 : 200) + r.nextInt(50);
              img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
          }
          ImageIO.write(img, "png", dir.resolve(String.format("%03d.png", i)).toFile());
        }
      }
    }
    return root;
  }

  @Test
  void helpListsThePhaseCommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String c : new String[] {"buffer", "inspect", "bench"}) {
      assertTrue(r.out().contains(c), r.out());
    }
    Run b = run("buffer", "--help");
    assertTrue(b.out().contains("--lr-teacher") && b.out().contains("--lr_teacher"), b.out());
    // a setting's text with a '%' ("5-60% more time") prints as it is, without picocli's
    // "Could not format" warning on stderr
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(warnings, true));
    Run d;
    try {
      d = run("distill", "--help");
    } finally {
      System.setErr(err);
    }
    assertTrue(d.out().contains("5-60%") && !d.out().contains("%%"), d.out());
    assertFalse(warnings.toString().contains("Could not format"), warnings.toString());
  }

  @Test
  void unknownDatasetIsOneClearLine() {
    Run r = run("buffer", "--dataset", "no-such-data", "--experts", "1", "--epochs", "1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no-such-data") && r.err().contains("fashion-mnist"), r.err());
    assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void invalidValueNamesTheField(@TempDir Path tmp) throws Exception {
    Path data = tinyImageFolder(tmp.resolve("data"));
    Run r = run("buffer", "--dataset", "image-folder:" + data, "--experts", "0",
        "--out", tmp.resolve("buf").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("experts must be > 0, got 0"), r.err());
  }

  @Test
  void inspectOfAMissingBufferSaysSo(@TempDir Path tmp) {
    Run r = run("inspect", tmp.resolve("nothing-here").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("nothing-here"), r.err());
  }

  @Test
  void bufferInspectAndBenchRunEndToEnd(@TempDir Path tmp) throws Exception {
    Path data = tinyImageFolder(tmp.resolve("data"));
    Path buf = tmp.resolve("buf");
    String[] common = {"--dataset", "image-folder:" + data, "--depth", "1", "--width", "4",
        "--threads", "2"};
    Run r = run(concat(new String[] {"buffer", "--experts", "2", "--epochs", "2",
        "--batch-train", "16", "--lr-teacher", "0.05", "--no-progress", "--out",
        buf.toString()}, common));
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(buf.resolve("expert-00000.arrow")));
    assertTrue(Files.exists(buf.resolve("expert-00001.arrow")));
    assertTrue(Files.readString(buf.resolve("config.json")).contains("\"lr_teacher\" : 0.05"));
    // the runner's typed record reads back whole, and the buffer's report shows it
    BufferRecord record = BufferRecord.read(buf.resolve("config.json"));
    assertEquals(Files.readString(buf.resolve("config.json")), record.toJson());
    assertEquals(2, record.experts());
    Run report = run("report", buf.toString());
    assertEquals(0, report.code(), report.err());
    String md = Files.readString(buf.resolve("report.md"));
    assertTrue(md.contains("| `experts` | 2 |") && md.contains("lr_teacher` | 0.05 |"), md);
    assertEquals(4, Files.readAllLines(buf.resolve("metrics.jsonl")).size());
    assertTrue(r.out().contains("experts complete: 2 of 2"), r.out());
    assertTrue(r.out().contains("mean final test accuracy"), r.out());

    Run again = run(concat(new String[] {"buffer", "--experts", "2", "--epochs", "2",
        "--batch-train", "16", "--lr-teacher", "0.05", "--no-progress", "--out",
        buf.toString()}, common));
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("expert 1 already complete, reused"), again.err());

    Run inspect = run("inspect", buf.toString());
    assertEquals(0, inspect.code(), inspect.err());
    assertTrue(inspect.out().contains("Avg_Var"), inspect.out());
    assertTrue(inspect.out().contains("after epoch 1..2"), inspect.out());
    // one row per expert: index, final accuracy, Avg_Var, then the two per-epoch accuracies
    // (the final one equal to the second)
    var rows = inspect.out().lines().filter(l -> l.matches("\\s+[01]\\s.*")).toList();
    assertEquals(2, rows.size(), inspect.out());
    for (String row : rows) {
      String[] f = row.trim().split("\\s+");
      assertEquals(5, f.length, row);
      assertEquals(Double.parseDouble(f[1]), Double.parseDouble(f[4]), 0.051, row);
    }

    Run norms = run("inspect", buf.toString(), "--input-grad-norm", "5", "--threads", "2");
    assertEquals(0, norms.code(), norms.err());
    String grads = norms.out().substring(norms.out().indexOf("mean ||d sum(logits) / dx||_2"));
    assertTrue(grads.startsWith("mean ||d sum(logits) / dx||_2 on the first 5 test images, "
        + "after epoch 0..2"), norms.out());
    var normRows = grads.lines().skip(1).filter(l -> !l.isBlank()).toList();
    assertEquals(2, normRows.size(), grads);
    for (String row : normRows) {
      String[] f = row.trim().split("\\s+");
      assertEquals(4, f.length, row); // expert, then epochs 0, 1, 2
      for (int i = 1; i < 4; i++) {
        assertTrue(Double.parseDouble(f[i]) > 0, row);
      }
    }

    Run bench = run(concat(new String[] {"bench", "train", "--steps", "2", "--warmup", "1",
        "--batch-train", "8"}, common));
    assertEquals(0, bench.code(), bench.err());
    assertTrue(bench.out().contains("images/s"), bench.out());
  }

  /** With no overriding flag, each --preset resolves to the framework's preset. */
  @Test
  void presetsResolveToTheFrameworkPresets() {
    for (var e : java.util.Map.of("mtt", org.dd4j.buffer.ExpertRecipe.preset("mtt", 30),
        "ftd", org.dd4j.buffer.ExpertRecipe.preset("ftd", 30),
        "ast", org.dd4j.buffer.ExpertRecipe.preset("ast", 30),
        "ast-code", org.dd4j.buffer.ExpertRecipe.preset("ast", 30),
        "ast-paper", org.dd4j.buffer.ExpertRecipe.preset("ast-paper", 30)).entrySet()) {
      assertEquals(e.getValue().describe(), training(30, 256, true, "--preset", e.getKey())
          .describe(), e.getKey());
    }
    // flags override the preset
    var t = training(3, 64, false, "--preset", "ast", "--optimizer", "gsam", "--rho", "0.05",
        "--gp-mu", "0", "--loss-ramp-epochs", "0", "--weight-decay", "0.0005");
    var d = t.describe();
    assertEquals("gsam", d.get("name"));
    assertEquals(0.05, d.get("rho"));
    assertEquals(0.4, d.get("alpha"));
    assertEquals(0.9, d.get("momentum"));
    assertEquals(0.0005, d.get("weight_decay"));
    assertEquals(java.util.List.of(java.util.Map.of("name", "cross_entropy")), d.get("objective"));
    var gp = training(3, 64, false, "--gp-mu", "2", "--gp-k", "0.5", "--gp-norm", "per-pixel")
        .describe().get("objective");
    assertEquals("{name=gradient_penalty, mu=2.0, k=0.5, norm=per_pixel, input=unaugmented}",
        ((java.util.List<?>) gp).get(1).toString());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> training(3, 64, false, "--rho", "0.1"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> training(3, 64, false, "--optimizer", "adam"));
  }

  /** The experts' training that dd4j buffer's --preset and expert flags resolve to. */
  private static org.dd4j.train.Training training(int epochs, int batch,
      boolean augment, String... args) {
    String[] all = concat(new String[] {"buffer"}, args);
    var parsed = Dd4j.commandLine().parseArgs(all).subcommand();
    var settings = org.dd4j.settings.Settings.builder(org.dd4j.buffer.BufferSettings.SCHEMA);
    SettingOptions.apply(parsed, org.dd4j.buffer.BufferSettings.SCHEMA, "", settings::parse);
    ExpertOptions o = ((BufferCommand) parsed.commandSpec().userObject()).expert;
    return o.training(settings.build().get(org.dd4j.buffer.BufferSettings.PRESET), epochs,
        batch, augment);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void evaluateRandomRealBaselinePrintsATable(@TempDir Path tmp) throws Exception {
    Path data = tinyImageFolder(tmp.resolve("data"));
    Run r = run("evaluate", "--dataset", "image-folder:" + data, "--depth", "1", "--width",
        "4", "--ipc", "3", "--eval-epochs", "5", "--eval-runs", "2", "--threads", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("random real (seed 0)") && r.out().contains("(2 networks)"),
        r.out());
    Run bad = run("evaluate", "--dataset", "image-folder:" + data);
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--syn FILE, or --ipc N"), bad.err());
  }

  @Test
  void evaluateAcrossArchitecturesPutsEveryModelInOneTable(@TempDir Path tmp)
      throws Exception {
    Path data = tinyImageFolder(tmp.resolve("data"));
    Run r = run("evaluate", "--dataset", "image-folder:" + data, "--models",
        "convnet,alexnet", "--depth", "1", "--width", "4", "--ipc", "2", "--eval-epochs", "2",
        "--eval-runs", "1", "--lr-teacher", "0.02", "--threads", "2", "--results",
        tmp.resolve("rows.jsonl").toString());
    assertEquals(0, r.code(), r.err());
    // one JSON line per row, written as each architecture finished
    List<String> saved = Files.readAllLines(tmp.resolve("rows.jsonl"));
    assertEquals(2, saved.size(), saved.toString());
    assertTrue(saved.get(0).startsWith("{\"set\":\"random real (seed 0)\",\"model\":"
        + "\"convnet-d1-w4\",\"ipc\":2,\"lr\":0.02,\"labels\":\"hard\",\"mean\":"), saved.get(0));
    assertTrue(saved.get(1).contains("\"model\":\"alexnet\""), saved.get(1));
    assertTrue(r.err().contains("random real (seed 0) on alexnet: "), r.err());
    String[] lines = r.out().split("\\R");
    assertTrue(lines[0].contains("2 epochs, 1 networks each"), r.out());
    assertTrue(lines[1].contains("model"), r.out());
    assertTrue(lines[2].contains("random real (seed 0)") && lines[2].contains("convnet-d1-w4")
        && lines[2].contains("0.02"), r.out());
    assertTrue(lines[3].contains("random real (seed 0)") && lines[3].contains("alexnet")
        && lines[3].contains("(1 networks)"), r.out());
    assertTrue(r.err().contains("training 1 alexnet networks"), r.err());
    Run bad = run("evaluate", "--dataset", "image-folder:" + data, "--models", "convnet",
        "--ipc", "2", "--model-lr", "vgg11=0.01");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("not among the evaluated architectures"), bad.err());
  }

  @Test
  void distillEvaluateAndResumeEndToEnd(@TempDir Path tmp) throws Exception {
    Path data = tinyImageFolder(tmp.resolve("data"));
    Path buf = tmp.resolve("buf");
    Path run = tmp.resolve("run");
    String ds = "image-folder:" + data;
    Run b = run("buffer", "--dataset", ds, "--depth", "1", "--width", "4", "--experts", "2",
        "--epochs", "3", "--batch-train", "16", "--no-progress", "--out", buf.toString());
    assertEquals(0, b.code(), b.err());
    String[] distill = {"distill", "--buffer", buf.toString(), "--dataset", ds, "--ipc", "2",
        "--syn-steps", "2", "--expert-epochs", "1", "--max-start-epoch", "2", "--iterations",
        "4", "--lr-img", "10", "--save-every", "2", "--eval-every", "2", "--eval-epochs", "3",
        "--eval-runs", "1", "--no-progress", "--threads", "2", "--out", run.toString()};
    Run d = run(distill);
    assertEquals(0, d.code(), d.err());
    for (String f : new String[] {"config.json", "metrics.jsonl", "checkpoint.bin",
        "syn-latest.arrow", "syn-final.arrow", "syn-final.png", "eval.jsonl", "summary.md"}) {
      assertTrue(Files.exists(run.resolve(f)), f + " missing; err: " + d.err());
    }
    assertEquals(4, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    String config = Files.readString(run.resolve("config.json"));
    assertTrue(config.contains("\"syn_steps\" : 2") && config.contains("\"num_classes\" : 2"),
        config);
    // the runner's typed record reads back whole: the report shows what was run
    assertEquals(config, DistillRecord.read(run.resolve("config.json")).toJson());
    // one evaluation at iteration 2, then distilled and random real at the end
    assertEquals(3, Files.readAllLines(run.resolve("eval.jsonl")).size());
    assertTrue(d.out().contains("distilled (syn-final.arrow)")
        && d.out().contains("random real (seed 0)"), d.out());

    Run e = run("evaluate", "--syn", run.resolve("syn-final.arrow").toString(), "--dataset", ds,
        "--depth", "1", "--width", "4", "--eval-epochs", "3", "--eval-runs", "1",
        "--threads", "2");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("distilled syn-final.arrow"), e.out());
    // without model options: the architecture the set was distilled with, from its file
    Run own = run("evaluate", "--syn", run.resolve("syn-final.arrow").toString(), "--dataset",
        ds, "--eval-epochs", "1", "--eval-runs", "1", "--baseline", "none", "--threads", "2");
    assertEquals(0, own.code(), own.err());
    assertTrue(own.out().contains("convnet-d1-w4") && !own.out().contains("w128"), own.out());
    // DD-Ranking's scores of the (hard-label) set: 5 measurements a round, of which "syn, no
    // DSA" is "syn hard, no DSA" and trains once (4 networks a round)
    Run scores = run("evaluate", "--syn", run.resolve("syn-final.arrow").toString(),
        "--dataset", ds, "--eval-epochs", "1", "--eval-runs", "2", "--baseline", "none",
        "--eval-scores", "dd-ranking", "--eval-full-data-accuracy", "0.9", "--threads", "2");
    assertEquals(0, scores.code(), scores.err());
    assertTrue(scores.out().contains("| HLR |") && scores.out().contains("| ARS |"),
        scores.out());
    assertTrue(scores.err().contains("round 1/2") && scores.err().contains("4 measurements"),
        scores.err());
    List<String[]> rounds = scores.out().lines().filter(l -> l.matches("\\| \\d \\| -?\\d+ \\|.*"))
        .map(l -> l.split("\\|")).toList();
    assertEquals(2, rounds.size(), scores.out());
    for (String[] r : rounds) { // | round | seed | syn hard, no DSA | syn | random | syn, no DSA |
      assertEquals(r[3].strip(), r[6].strip(), "a hard-label set's two no-DSA figures");
    }

    Run coresets = run("evaluate", "--dataset", ds, "--depth", "1", "--width", "4", "--ipc",
        "2", "--baseline", "random,herding,k-center", "--buffer", buf.toString(),
        "--eval-epochs", "2", "--eval-runs", "1", "--threads", "2");
    assertEquals(0, coresets.code(), coresets.err());
    assertTrue(coresets.out().contains("random real (seed 0)")
        && coresets.out().contains("herding (expert 0, features)")
        && coresets.out().contains("k-center (expert 0, features)"), coresets.out());
    Run noBuffer = run("evaluate", "--dataset", ds, "--ipc", "2", "--baseline", "herding");
    assertEquals(2, noBuffer.code());
    assertTrue(noBuffer.err().contains("needs --buffer DIR"), noBuffer.err());

    Path rep = tmp.resolve("rep");
    Run r = run("distill", "--buffer", buf.toString(), "--dataset", ds, "--ipc", "1",
        "--pix-init", "representative(expert=1)", "--syn-steps", "1",
        "--expert-epochs", "1", "--max-start-epoch", "1", "--iterations", "1",
        "--eval-epochs", "1", "--eval-runs", "1", "--no-progress", "--threads", "2",
        "--out", rep.toString());
    assertEquals(0, r.code(), r.err());
    String repConfig = Files.readString(rep.resolve("config.json"));
    assertTrue(repConfig.contains(
        "\"image_init\" : \"representative(expert=1,embedding=features,clustering=per-image)\""),
        repConfig);
    assertTrue(config.contains("\"image_init\" : \"real\""), config);

    Run again = run(distill);
    assertEquals(2, again.code());
    assertTrue(again.err().contains("--resume"), again.err());

    String[] more = java.util.Arrays.copyOf(distill, distill.length + 1);
    more[more.length - 1] = "--resume";
    more[java.util.Arrays.asList(more).indexOf("--iterations") + 1] = "6";
    Run resumed = run(more);
    assertEquals(0, resumed.code(), resumed.err());
    assertEquals(6, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    assertTrue(resumed.err().contains("6 iterations from 4"), resumed.err());

    // AST's distillation options and FTD's EMA on the same buffer
    Path astRun = tmp.resolve("ast");
    Run ast = run("distill", "--buffer", buf.toString(), "--dataset", ds, "--ipc", "2",
        "--syn-steps", "2", "--expert-epochs", "2", "--max-start-epoch", "2", "--iterations",
        "2", "--lr-img", "10", "--matching", "intermediate(weights=linear)",
        "--inner-loss", "balanced", "--start-perturbation", "filter-wise(rho=0.1)",
        "--inner-momentum", "0.9",
        "--ema-decay", "0.9", "--eval-epochs", "3", "--eval-runs", "1", "--no-progress",
        "--threads", "2", "--out", astRun.toString());
    assertEquals(0, ast.code(), ast.err());
    for (String f : new String[] {"syn-ema-latest.arrow", "syn-ema-final.arrow",
        "syn-ema-final.png", "syn-final.arrow"}) {
      assertTrue(Files.exists(astRun.resolve(f)), f + " missing; err: " + ast.err());
    }
    String astConfig = Files.readString(astRun.resolve("config.json"));
    for (String want : new String[] {"\"method\" : \"custom (ast; ema_decay=0.9, inner_loss="
        + "balanced(theta=8.0, log_base=e, middle=half), matching_loss=intermediate(weights="
        + "linear), start_perturbation=filter-wise(rho=0.1))\"",
        "\"matching_loss\" : \"intermediate(weights=linear)\"",
        "\"inner_loss\" : \"balanced(theta=8.0, log_base=e, middle=half)\"",
        "\"start_perturbation\" : \"filter-wise(rho=0.1)\"", "\"inner_momentum\" : 0.9",
        "\"ema_decay\" : 0.9"}) {
      assertTrue(astConfig.contains(want), want + " not in " + astConfig);
    }
    assertTrue(ast.out().contains("distilled EMA (syn-ema-final.arrow)"), ast.out());
    var emaFile = org.dd4j.storage.SyntheticSetFile.read(astRun.resolve("syn-ema-final.arrow"));
    assertEquals("ema", emaFile.config().get("images"));
    assertEquals(2, emaFile.iteration());
    List<String> evals = Files.readAllLines(astRun.resolve("eval.jsonl"));
    assertEquals(3, evals.size()); // distilled, distilled_ema, random real
    assertTrue(evals.get(1).contains("\"set\":\"distilled_ema\""), evals.get(1));

    // issue 20: --method datm was recorded as "mtt" and reported as "MTT on ..."
    Path datmRun = tmp.resolve("datm");
    Run datm = run("distill", "--buffer", buf.toString(), "--dataset", ds, "--ipc", "2",
        "--syn-steps", "2", "--expert-epochs", "2", "--max-start-epoch", "2", "--iterations",
        "1", "--method", "datm", "--eval-epochs", "1", "--eval-runs", "1",
        "--no-eval-random-baseline", "--no-progress", "--threads", "2", "--out",
        datmRun.toString());
    assertEquals(0, datm.code(), datm.err());
    assertTrue(Files.readString(datmRun.resolve("config.json"))
        .contains("\"method\" : \"datm\""), Files.readString(datmRun.resolve("config.json")));
    assertTrue(Files.readString(datmRun.resolve("report.md")).contains("\nDATM on "),
        Files.readString(datmRun.resolve("report.md")));
    assertTrue(Files.readString(datmRun.resolve("summary.md")).startsWith("# datm (datm)"),
        Files.readString(datmRun.resolve("summary.md")));
  }
}
