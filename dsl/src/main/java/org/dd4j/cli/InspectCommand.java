package org.dd4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.dd4j.Accuracy;
import org.dd4j.buffer.TrajectoryStats;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.SkippedExpert;
import org.dd4j.storage.TrajectoryReader;
import org.dd4j.train.InputGradientNorms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j inspect BUFFER}: what a buffer holds and how good its experts are. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Summarize a buffer directory: model, dataset, training settings (optimizer "
        + "and objective terms), and per expert the final test accuracy, Avg_Var (AST, "
        + "Table VII: the mean over epochs of ||w_t - w_{t+1}||_2^2, in squared parameter "
        + "units; lower is smoother) and the test accuracy after each epoch 1..T in %% (from "
        + "metrics.jsonl; '-' where it holds none).")
final class InspectCommand implements Callable<Integer> {

  @Parameters(paramLabel = "BUFFER", description = "A buffer directory.")
  Path buffer;

  @Option(names = {"--input-grad-norm"}, paramLabel = "N", defaultValue = "0",
      description = "Also print, per expert and snapshot (epoch 0..T), the mean per-sample "
          + "input-gradient norm ||d sum(logits) / dx||_2 over the first N test images: what "
          + "AST's gradient penalty pulls towards K (eq. 19). Loads the buffer's dataset. "
          + "0 = off (default).")
  int inputGradImages;

  @Mixin RuntimeOptions runtime;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    if (inputGradImages < 0) {
      throw new ParameterException(command.commandLine(),
          "--input-grad-norm must be >= 0, got " + inputGradImages);
    }
    PrintWriter out = command.commandLine().getOut();
    out.println(summary(buffer));
    out.flush();
    BufferDirectory.open(buffer).scan().requireValidFiles(); // exit 2 naming a corrupt file
    if (inputGradImages > 0) {
      out.print(inputGradientNorms(buffer, inputGradImages, runtime.sessionOptions(),
          command.commandLine().getErr()));
      out.flush();
    }
    return 0;
  }

  /**
   * Per expert, the mean input-gradient norm at every snapshot on the first {@code images}
   * test images of the buffer's dataset, preprocessed as the experts saw it.
   */
  static String inputGradientNorms(Path dir, int images, SessionOptions options,
      PrintWriter log) {
    BufferDirectory b = BufferDirectory.open(dir);
    var m = b.manifest();
    Dataset d = PreprocessingKinds.load(m.dataset(), // an old "normalize" was fitted
        PreprocessingKinds.recordedKind(m.preprocessingName()),
        log).data();
    int n = Math.min(images, d.test().count());
    StringBuilder s = new StringBuilder(String.format("  mean ||d sum(logits) / dx||_2 on the "
        + "first %d test images, after epoch 0..%d%n", n, m.epochs()));
    try (InputGradientNorms norms = new InputGradientNorms(ModelRegistry.create(m.model()),
        options)) {
      for (int i : b.completeExperts()) {
        StringBuilder row = new StringBuilder();
        try (TrajectoryReader r = b.openExpert(i)) {
          for (int t = 0; t < r.numSnapshots(); t++) {
            row.append(t > 0 ? " " : "")
                .append(String.format("%.3f", norms.meanNorm(r.snapshot(t), d.test(), n)));
          }
        }
        s.append(String.format("  %-7d %s%n", i, row));
      }
    }
    return s.toString();
  }

  /** A readable table of a buffer's experts. */
  static String summary(Path dir) {
    BufferDirectory b = BufferDirectory.open(dir);
    var m = b.manifest();
    Map<Integer, TreeMap<Integer, Double>> acc = testAccuracies(dir.resolve("metrics.jsonl"));
    StringBuilder s = new StringBuilder();
    s.append(String.format("buffer %s%n  model %s-d%d-w%d on %s, input %s, %d classes, "
            + "%,d parameters%n  dataset %s, preprocessing %s%n  optimizer %s%n", dir,
        m.model().name(), m.model().depth(), m.model().width(), m.model().norm(),
        m.model().input(), m.model().numClasses(), m.layout().totalSize(), m.dataset(),
        m.preprocessingName(), m.optimizer()));
    List<Integer> complete = b.completeExperts();
    s.append(String.format("  experts complete: %d of %d, %d snapshots each (epochs 0..%d)%n",
        complete.size(), m.numExperts(), m.numSnapshots(), m.epochs()));
    for (SkippedExpert skipped : b.scan().skipped()) {
      s.append("  skipped ").append(skipped.describe()).append(System.lineSeparator());
    }
    s.append(String.format("  %-7s %-14s %-12s %s%n", "expert", "test acc (%)", "Avg_Var",
        "test acc (%) after epoch 1.." + m.epochs()));
    double accSum = 0;
    int accCount = 0;
    for (int i : complete) {
      double avgVar;
      try (TrajectoryReader r = b.openExpert(i)) {
        avgVar = TrajectoryStats.avgVar(r);
      }
      TreeMap<Integer, Double> perEpoch = acc.get(i);
      String a = "-";
      if (perEpoch != null && perEpoch.containsKey(m.epochs())) {
        double v = perEpoch.get(m.epochs());
        a = Accuracy.percent(v);
        accSum += v;
        accCount++;
      }
      StringBuilder curve = new StringBuilder();
      for (int e = 1; e <= m.epochs(); e++) {
        Double v = perEpoch == null ? null : perEpoch.get(e);
        curve.append(e > 1 ? " " : "").append(v == null ? "-" : String.format("%.1f", 100 * v));
      }
      s.append(String.format("  %-7d %-14s %-12.5g %s%n", i, a, avgVar, curve));
    }
    if (accCount > 0) {
      s.append(String.format("  mean final test accuracy: %s%% over %d experts%n",
          Accuracy.percent(accSum / accCount), accCount));
    }
    return s.toString();
  }

  /** expert -> epoch -> test accuracy, the last line winning (a re-trained expert). */
  private static Map<Integer, TreeMap<Integer, Double>> testAccuracies(Path metrics) {
    Map<Integer, TreeMap<Integer, Double>> out = new TreeMap<>();
    if (!Files.exists(metrics)) {
      return out;
    }
    ObjectMapper json = new ObjectMapper();
    try {
      for (String line : Files.readAllLines(metrics)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(line);
        out.computeIfAbsent(n.get("expert").asInt(), k -> new TreeMap<>())
            .put(n.get("epoch").asInt(), n.get("test_acc").asDouble());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read metrics file " + metrics, e);
    }
    return out;
  }
}
