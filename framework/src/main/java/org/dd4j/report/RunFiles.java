package org.dd4j.report;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dd4j.storage.ConfigJson;

/**
 * Reads the JSON files of a run directory ({@code config.json}) and its JSON Lines files
 * ({@code metrics.jsonl}, {@code eval.jsonl}), with errors that name the file, the line and
 * the field, so that a corrupt file is a one-line message rather than a stack trace.
 */
public final class RunFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunFiles() {}

  /**
   * One object of a JSON Lines file.
   *
   * @param file the file it came from
   * @param number 1-based line number in {@code file}
   * @param json the parsed object
   */
  public record Line(Path file, int number, JsonNode json) {

    /** Whether the field is present and not null. */
    public boolean has(String field) {
      return json.hasNonNull(field);
    }

    /**
     * A numeric field; a string such as {@code "NaN"} or {@code "Infinity"} (how dd4j writes
     * non-finite values) is parsed too.
     *
     * @throws IllegalArgumentException naming file, line and field if it is missing or not a
     *     number
     */
    public double number(String field) {
      JsonNode v = json.get(field);
      if (v != null && v.isNumber()) {
        return v.asDouble();
      }
      if (v != null && v.isTextual()) {
        try {
          return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw error(field + " must be a number, got " + v);
    }

    /**
     * An integral field.
     *
     * @throws IllegalArgumentException naming file, line and field if it is missing or not an
     *     integer
     */
    public int integer(String field) {
      JsonNode v = json.get(field);
      if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
        throw error(field + " must be an integer, got " + v);
      }
      return v.asInt();
    }

    /** A text field, or {@code fallback} if it is absent. */
    public String text(String field, String fallback) {
      JsonNode v = json.get(field);
      return v == null || v.isNull() ? fallback : v.asText();
    }

    /** An error about this line: {@code "FILE line N: what"}. */
    public IllegalArgumentException error(String what) {
      return new IllegalArgumentException(file + " line " + number + ": " + what);
    }
  }

  /**
   * The objects of a JSON Lines file, blank lines skipped. A last line without its newline
   * that is not valid JSON (being appended, or cut short by a crash) is left out.
   *
   * @return an empty list if the file does not exist
   * @throws IllegalArgumentException naming the file and line if a line is not a JSON object
   * @throws UncheckedIOException if the file exists but cannot be read
   */
  public static List<Line> readLines(Path file) {
    checkNotNull(file, "file");
    List<Line> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> lines = content.lines().toList();
    boolean unterminated = !content.isEmpty() && !content.endsWith("\n");
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        if (unterminated && i == lines.size() - 1) {
          break; // a line still being appended, or cut short by a crash: not yet a record
        }
        throw new IllegalArgumentException(String.format("%s line %d is not JSON (%s); "
            + "expected one JSON object per line", file, i + 1, e.getOriginalMessage()));
      }
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException(String.format("%s line %d is not a JSON object; "
            + "expected one JSON object per line", file, i + 1));
      }
      out.add(new Line(file, i + 1, n));
    }
    return out;
  }

  /**
   * A file holding one JSON object, e.g. {@code config.json}.
   *
   * @throws IllegalArgumentException naming the file if it is not a JSON object
   * @throws UncheckedIOException if it cannot be read (e.g. it does not exist)
   */
  public static JsonNode readObject(Path file) {
    return ConfigJson.readObject(file);
  }
}
