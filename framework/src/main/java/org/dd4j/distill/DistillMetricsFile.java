package org.dd4j.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends one JSON object per distillation iteration (applied or skipped) to a JSON Lines
 * file, e.g. {@code run/metrics.jsonl}: {@code iteration, expert, start_epoch, loss, syn_lr,
 * seconds} and, for a skipped one, {@code skipped: reason}.
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

  private void append(Map<String, Object> m) {
    try {
      Files.writeString(file, JSON.writeValueAsString(m) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to metrics file " + file, e);
    }
  }
}
