package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.storage.AtomicFiles;

/**
 * Appends one JSON object per distillation iteration (applied or skipped) to a JSON Lines
 * file, e.g. {@code run/metrics.jsonl}: {@code iteration, expert, start_epoch, loss, syn_lr,
 * seconds} and, for a skipped one, {@code skipped: reason}. {@code loss} is the matching loss;
 * with regularizers an applied iteration also has {@code objective} (L = loss + sum_k
 * weight_k value_k) and {@code regularizers}: {@code {label: {weight, value}}} per term
 * ({@link IterationResult.Term}).
 */
public final class DistillMetricsFile implements DistillListener {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public DistillMetricsFile(Path file) {
    this.file = file;
  }

  @Override
  public void onIteration(IterationResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", r.iteration());
    m.put("expert", r.expert());
    m.put("start_epoch", r.startEpoch());
    m.put("loss", r.loss());
    m.put("syn_lr", r.synLr());
    m.put("seconds", r.seconds());
    if (!r.terms().isEmpty()) {
      m.put("objective", r.objective());
      Map<String, Object> terms = new LinkedHashMap<>();
      for (IterationResult.Term t : r.terms()) {
        Map<String, Object> term = new LinkedHashMap<>();
        term.put("weight", t.weight());
        term.put("value", t.value());
        terms.put(t.label(), term);
      }
      m.put("regularizers", terms);
    }
    append(m);
  }

  @Override
  public void onSkipped(SkippedIteration s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", s.iteration());
    m.put("expert", s.expert());
    m.put("start_epoch", s.startEpoch());
    m.put("loss", Double.isFinite(s.loss()) ? s.loss() : String.valueOf(s.loss()));
    m.put("skipped", s.reason());
    m.put("consecutive_skips", s.consecutive());
    append(m);
  }

  /**
   * Removes the lines of iterations {@code >= iteration} from {@code file}, e.g. those a run
   * resumed from a checkpoint at {@code iteration} is about to redo. The file is rewritten
   * atomically (temporary file, then rename), and only when a line is dropped; a missing
   * file is left missing.
   *
   * @param iteration the first iteration to drop, &gt;= 0
   * @return how many lines were dropped
   * @throws IllegalArgumentException if a line is not a JSON object with an integer
   *     {@code iteration}, naming the file and the line number
   * @throws UncheckedIOException if the file cannot be read or rewritten
   */
  public static int dropFrom(Path file, int iteration) {
    checkArgument(iteration >= 0, "iteration must be >= 0, got %s", iteration);
    if (!Files.exists(file)) {
      return 0;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      StringBuilder kept = new StringBuilder();
      int dropped = 0;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        if (iterationOf(file, i + 1, line) >= iteration) {
          dropped++;
        } else {
          kept.append(line).append('\n');
        }
      }
      if (dropped > 0) {
        AtomicFiles.writeString(file, kept.toString());
      }
      return dropped;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite metrics file " + file, e);
    }
  }

  private static int iterationOf(Path file, int lineNumber, String line) {
    JsonNode it;
    try {
      it = JSON.readTree(line).get("iteration");
    } catch (IOException e) {
      it = null;
    }
    checkArgument(it != null && it.canConvertToInt(), "%s:%s: not a metrics line with an"
        + " integer iteration; move the file away to start it afresh", file, lineNumber);
    return it.intValue();
  }

  private void append(Map<String, Object> m) {
    try {
      Files.writeString(file, JSON.writeValueAsString(m) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to metrics file " + file, e);
    }
  }
}
