package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;

/**
 * The JSON forms of the structured metadata, written by hand so that the file format does
 * not change when a Java record gains a method. Field names are snake_case.
 */
final class TrajectoryJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TrajectoryJson() {}

  /** {@code {"name":"convnet","depth":3,...,"input":{"height":32,...},"num_classes":10}}. */
  static ObjectNode modelToJson(ModelSpec m) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", m.name());
    n.put("depth", m.depth());
    n.put("width", m.width());
    n.put("norm", m.norm());
    n.put("pooling", m.pooling());
    ObjectNode in = n.putObject("input");
    in.put("height", m.input().height());
    in.put("width", m.input().width());
    in.put("channels", m.input().channels());
    n.put("num_classes", m.numClasses());
    return n;
  }

  /**
   * The model a config.json's "model" object describes, or null when it is absent or does
   * not describe one in full (an older run's file): what the phase records read.
   */
  static ModelSpec modelIfComplete(JsonNode n) {
    if (!n.isObject()) {
      return null;
    }
    try {
      return modelFromJson(n);
    } catch (IllegalArgumentException incomplete) {
      return null;
    }
  }

  /** @throws IllegalArgumentException if a field is missing or has the wrong type */
  static ModelSpec modelFromJson(JsonNode n) {
    JsonNode in = required(n, "input");
    return new ModelSpec(text(n, "name"), integer(n, "depth"), integer(n, "width"),
        text(n, "norm"), text(n, "pooling"),
        new InputShape(integer(in, "height"), integer(in, "width"), integer(in, "channels")),
        integer(n, "num_classes"));
  }

  /** {@code [{"name":"conv0.weight","shape":[3,3,3,128]}, ...]} in layout order. */
  static ArrayNode layoutToJson(ParamLayout layout) {
    ArrayNode a = MAPPER.createArrayNode();
    for (ParamShape p : layout.params()) {
      ObjectNode o = a.addObject();
      o.put("name", p.name());
      ArrayNode shape = o.putArray("shape");
      for (long d : p.shape()) {
        shape.add(d);
      }
    }
    return a;
  }

  /** @throws IllegalArgumentException if the list is malformed */
  static ParamLayout layoutFromJson(JsonNode a) {
    checkArgument(a != null && a.isArray(), "params must be a JSON list, got %s", a);
    List<ParamShape> params = new ArrayList<>();
    for (JsonNode o : a) {
      JsonNode shape = required(o, "shape");
      checkArgument(shape.isArray(), "shape of %s must be a list, got %s", o, shape);
      long[] dims = new long[shape.size()];
      for (int i = 0; i < dims.length; i++) {
        checkArgument(shape.get(i).canConvertToLong(), "bad dimension in %s", o);
        dims[i] = shape.get(i).asLong();
      }
      params.add(new ParamShape(text(o, "name"), dims));
    }
    return new ParamLayout(params);
  }

  static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen for a tree", e);
    }
  }

  static String writePretty(JsonNode n) {
    try {
      return PRETTY.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen for a tree", e);
    }
  }

  /** @throws IllegalArgumentException if {@code json} is not valid JSON */
  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * A deep, unmodifiable copy of a free-form JSON object, its values converted to the types
   * Jackson reads back (Integer/Long, Double, String, Boolean, List, Map), so that a value
   * equals itself after a round trip through a file.
   *
   * @throws IllegalArgumentException if a value cannot be written as JSON
   */
  static Map<String, Object> freezeObject(Map<String, ?> m, String what) {
    checkArgument(m != null, "%s must not be null (use an empty map)", what);
    try {
      // Through text, not convertValue (which returns a Map unchanged): a Float must come back
      // as the Double a file read yields.
      return freeze(MAPPER.readValue(MAPPER.writeValueAsString(m),
          new TypeReference<Map<String, Object>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** As {@link #freezeObject} for a list of JSON objects. */
  static List<Map<String, Object>> freezeList(List<? extends Map<String, ?>> l, String what) {
    checkArgument(l != null, "%s must not be null (use an empty list)", what);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, ?> m : l) {
      out.add(freezeObject(m, what + " entry"));
    }
    return Collections.unmodifiableList(out);
  }

  static Map<String, Object> objectFromJson(JsonNode n, String what) {
    checkArgument(n != null && n.isObject(), "%s must be a JSON object, got %s", what, n);
    return freezeObject(MAPPER.convertValue(n, new TypeReference<Map<String, Object>>() {}),
        what);
  }

  static List<Map<String, Object>> listFromJson(JsonNode n, String what) {
    checkArgument(n != null && n.isArray(), "%s must be a JSON list, got %s", what, n);
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode o : n) {
      out.add(objectFromJson(o, what + " entry"));
    }
    return Collections.unmodifiableList(out);
  }

  @SuppressWarnings("unchecked")
  private static <T> T freeze(T v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, x) -> copy.put((String) k, freeze(x)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(x -> copy.add(freeze(x)));
      return (T) Collections.unmodifiableList(copy);
    }
    return v;
  }

  static JsonNode required(JsonNode n, String field) {
    checkArgument(n != null && n.has(field), "missing field \"%s\" in %s", field, n);
    return n.get(field);
  }

  static String text(JsonNode n, String field) {
    JsonNode v = required(n, field);
    checkArgument(v.isTextual(), "field \"%s\" must be a string, got %s", field, v);
    return v.asText();
  }

  static int integer(JsonNode n, String field) {
    JsonNode v = required(n, field);
    checkArgument(v.canConvertToInt() && v.isIntegralNumber(),
        "field \"%s\" must be an integer, got %s", field, v);
    return v.asInt();
  }
}
