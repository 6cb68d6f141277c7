package org.dd4j.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The resolved configuration of a run as JSON, with the field's snake_case names
 * (syn_steps, lr_img, max_start_epoch, num_classes, ...), as saved in config.json and in
 * the metadata of the files a run writes.
 */
public final class ConfigJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private static final ObjectMapper COMPACT = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private ConfigJson() {}

  /** Records and maps turned into plain JSON values (maps, lists, numbers, strings). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plain(Map<String, Object> config) {
    return MAPPER.convertValue(config, Map.class);
  }

  /** A record (or any bean) as a plain JSON object, snake_case like {@link #text}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plainObject(Object value) {
    return MAPPER.convertValue(value, Map.class);
  }

  /**
   * A file holding one JSON object, e.g. {@code config.json}.
   *
   * @throws IllegalArgumentException naming the file if it is not valid JSON or not an object
   * @throws UncheckedIOException if it cannot be read (e.g. it does not exist)
   */
  public static JsonNode readObject(Path file) {
    JsonNode n;
    try {
      n = COMPACT.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(String.format("%s is not valid JSON (%s)", file,
          e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(file + " must hold a JSON object");
    }
    return n;
  }

  /** One compact JSON line (for JSON Lines files), snake_case like {@link #text}. */
  public static String line(Map<String, Object> values) {
    try {
      return COMPACT.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("values cannot be written as JSON", e);
    }
  }

  public static String text(Map<String, Object> config) {
    try {
      return MAPPER.writeValueAsString(config) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("configuration cannot be written as JSON", e);
    }
  }
}
