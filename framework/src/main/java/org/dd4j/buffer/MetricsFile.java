package org.dd4j.buffer;

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
 * Appends one JSON object per expert epoch to a JSON Lines file (e.g. {@code
 * buffer/metrics.jsonl}), flushed per line so a crash keeps what was measured.
 */
public final class MetricsFile implements BufferListener {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public MetricsFile(Path file) {
    this.file = file;
  }

  @Override
  public void onEpoch(EpochResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("expert", r.expert());
    m.put("epoch", r.epoch());
    m.put("lr", r.lr());
    m.put("train_loss", r.trainLoss());
    m.put("train_acc", r.trainAccuracy());
    m.put("test_acc", r.testAccuracy());
    m.put("seconds", r.seconds());
    m.put("images_per_second", r.imagesPerSecond());
    try {
      Files.writeString(file, JSON.writeValueAsString(m) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to metrics file " + file, e);
    }
  }
}
