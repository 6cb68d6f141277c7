package org.dd4j.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dd4j.models.ModelSpec;

/** Field-by-field comparison of two model specs, for error messages that say what differs. */
final class ModelSpecDiff {

  private ModelSpecDiff() {}

  /**
   * @return one entry per differing field, e.g. {@code "width 32 in file vs 128 expected"};
   *     empty when the specs are equal
   */
  static List<String> differences(ModelSpec inFile, ModelSpec expected) {
    List<String> out = new ArrayList<>();
    add(out, "name", inFile.name(), expected.name());
    add(out, "depth", inFile.depth(), expected.depth());
    add(out, "width", inFile.width(), expected.width());
    add(out, "norm", inFile.norm(), expected.norm());
    add(out, "pooling", inFile.pooling(), expected.pooling());
    add(out, "input", inFile.input(), expected.input());
    add(out, "numClasses", inFile.numClasses(), expected.numClasses());
    return out;
  }

  private static void add(List<String> out, String field, Object inFile, Object expected) {
    if (!Objects.equals(inFile, expected)) {
      out.add(field + " " + inFile + " in file vs " + expected + " expected");
    }
  }
}
