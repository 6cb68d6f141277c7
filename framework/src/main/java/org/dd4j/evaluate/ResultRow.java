package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dd4j.storage.ConfigJson;

/**
 * One evaluated (set, architecture): the row of every accuracy table, of {@code eval.jsonl}
 * and of a {@code --results} file, whichever front end evaluated it.
 *
 * @param id what kind of set it is, stable for tools reading eval.jsonl: "distilled",
 *     "distilled_ema", "random_real", or the coreset's name ("herding", "k-center", ...)
 * @param set how the set is named, e.g. "distilled", "distilled EMA", "random real (seed 0)",
 *     "herding (expert 0, features)"
 * @param source the file the set was read from (e.g. "syn-final.arrow"), or null
 * @param model the architecture's label ({@link org.dd4j.models.ModelRegistry#label}), e.g.
 *     "convnet-d3-w128", "alexnet"
 * @param ipc images per class of the set
 * @param lr the SGD learning rate the networks trained with
 * @param epochs training epochs of each network
 * @param result the K accuracies; null if training diverged
 * @param failure why training diverged; null if it did not
 * @param labels which labels the networks trained on: "soft" (the set's label logits, soft
 *     cross-entropy), "hard (argmax)" (their argmax) or "hard" (the class labels)
 */
public record ResultRow(String id, String set, String source, String model, int ipc, double lr,
    int epochs, EvalResult result, String failure, String labels) {

  /** @throws IllegalArgumentException unless exactly one of result and failure is given */
  public ResultRow {
    checkNotNull(id, "id");
    checkNotNull(set, "set");
    checkNotNull(model, "model");
    checkArgument((result == null) != (failure == null),
        "exactly one of result and failure must be given");
    checkNotNull(labels, "labels");
  }

  /** A row trained on the class labels ("hard"). */
  public ResultRow(String id, String set, String source, String model, int ipc, double lr,
      int epochs, EvalResult result, String failure) {
    this(id, set, source, model, ipc, lr, epochs, result, failure, Evaluator.HARD);
  }

  /** The row of one architecture's result for a set. */
  public static ResultRow of(String id, String set, String source, int ipc, int epochs,
      CrossArchitectureEvaluator.ArchitectureResult r) {
    return new ResultRow(id, set, source, r.architecture(), ipc, r.learningRate(), epochs,
        r.result(), r.failure(), r.labels());
  }

  /** True if the networks of this row diverged (no result). */
  public boolean diverged() {
    return failure != null;
  }

  /** The set with its file: "distilled (syn-final.arrow)", or the set alone. */
  public String setWithSource() {
    return source == null ? set : set + " (" + source + ")";
  }

  /** "mean +- std % (K networks)", or "diverged at lr ...: message". */
  public String accuracy() {
    return CrossArchitectureEvaluator.ArchitectureResult.describe(lr, result, failure);
  }

  /**
   * The row as a line of a results file: set, model, ipc, lr, then mean, std and
   * accuracies, or diverged; then epochs and the source file.
   */
  public String resultsLine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("set", set);
    return json(m);
  }

  /**
   * The row as a line of eval.jsonl: the iteration of the evaluated set, its {@link #id} as
   * "set" and its name as "label", then as {@link #resultsLine()}.
   */
  public String evalLine(long iteration) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", iteration);
    m.put("set", id);
    m.put("label", set);
    return json(m);
  }

  private String json(Map<String, Object> m) {
    m.put("model", model);
    m.put("ipc", ipc);
    m.put("lr", lr);
    m.put("labels", labels);
    if (failure != null) {
      m.put("diverged", failure);
    } else {
      m.put("mean", result.mean());
      m.put("std", result.std());
      m.put("accuracies", result.accuracies());
    }
    m.put("epochs", epochs);
    if (source != null) {
      m.put("source", source);
    }
    return ConfigJson.line(m);
  }

  /**
   * Appends a line and a newline to a JSON Lines file (created if absent).
   *
   * @param line {@link #resultsLine()} or {@link #evalLine(long)}
   * @throws UncheckedIOException if it cannot be written
   */
  public static void append(Path file, String line) {
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }
}
