package org.dd4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A small Markdown writer for the reports: headings, paragraphs, tables, images. */
final class Markdown {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StringBuilder text = new StringBuilder();

  Markdown heading(int level, String title) {
    text.append("#".repeat(level)).append(' ').append(title).append("\n\n");
    return this;
  }

  Markdown paragraph(String p) {
    text.append(p).append("\n\n");
    return this;
  }

  /** A bullet list, one item per entry. */
  Markdown bullets(List<String> items) {
    for (String i : items) {
      text.append("- ").append(i).append('\n');
    }
    text.append('\n');
    return this;
  }

  /** A table; cells have {@code |} escaped. */
  Markdown table(List<String> header, List<List<String>> rows) {
    row(header);
    List<String> rule = new ArrayList<>();
    header.forEach(h -> rule.add("---"));
    row(rule);
    rows.forEach(this::row);
    text.append('\n');
    return this;
  }

  /** An image, relative to the report's directory. */
  Markdown image(String alt, String file) {
    text.append("![").append(alt).append("](").append(file).append(")\n\n");
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }

  private void row(List<String> cells) {
    text.append('|');
    for (String c : cells) {
      text.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    text.append('\n');
  }

  /**
   * The leaves of a JSON object as (dotted path, value) rows, e.g. {@code distill.ipc | 10};
   * lists are shown as JSON text, an empty object as {}.
   */
  static List<List<String>> flatten(JsonNode object) {
    List<List<String>> rows = new ArrayList<>();
    flatten("", object, rows);
    return rows;
  }

  /**
   * {@link #flatten(JsonNode)} of a record's plain JSON values (e.g. {@code
   * PhaseRecord.toMap}); a null field (absent from an older file) is left out.
   */
  static List<List<String>> flatten(Map<String, Object> object) {
    ObjectNode n = JSON.createObjectNode();
    object.forEach((k, v) -> {
      if (v != null) {
        n.set(k, JSON.valueToTree(v));
      }
    });
    return flatten(n);
  }

  private static void flatten(String prefix, JsonNode n, List<List<String>> rows) {
    if (n.isObject() && n.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows);
      }
    } else {
      rows.add(List.of("`" + prefix + "`", n.isValueNode() ? n.asText() : n.toString()));
    }
  }

  /** Seconds as "12.3 s", "4.5 min" or "1.20 h". */
  static String duration(double seconds) {
    if (seconds < 120) {
      return String.format("%.1f s", seconds);
    }
    if (seconds < 7200) {
      return String.format("%.1f min", seconds / 60);
    }
    return String.format("%.2f h", seconds / 3600);
  }
}
