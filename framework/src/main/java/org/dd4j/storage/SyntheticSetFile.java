package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.dd4j.Dd4jVersion;
import org.dd4j.models.InputShape;
import org.dd4j.models.ModelSpec;
import org.dd4j.synthetic.SyntheticSet;

/**
 * A distilled set saved as one Arrow IPC file, version {@value #FORMAT_VERSION}
 * (docs/synthetic-set-format.md): one record batch of n = C * ipc rows, columns {@code label}
 * (int32) and {@code image} (FixedSizeList&lt;float32&gt;(H * W * C_img), one image NHWC
 * row-major, in the preprocessed space), and for a set with learnable soft labels (DATM)
 * {@code label_logits} (FixedSizeList&lt;float32&gt;(C), one row of label logits per image;
 * version 2), with the shape, syn_lr, outer iteration, the run's configuration and the
 * preprocessing in the schema metadata. Version 1 files (no label logits) are still read, as
 * sets with hard labels.
 *
 * <p>{@link #write} is atomic (temporary file, fsync, rename), so a reader never sees a
 * half-written set. {@link #read} reports every problem with the file as a {@link
 * SyntheticSetFormatException} naming the file and the fix.
 */
public final class SyntheticSetFile {

  /** The format version this code writes (it also reads {@link #OLDEST_FORMAT_VERSION}). */
  public static final String FORMAT_VERSION = "2";

  /** The oldest version read: "1", the same file without a label_logits column. */
  public static final String OLDEST_FORMAT_VERSION = "1";

  /** Value of {@link #KEY_KIND} for this format. */
  public static final String KIND = "synthetic_set";

  public static final String LABEL_COLUMN = "label";
  public static final String IMAGE_COLUMN = "image";
  /** Soft labels (version 2, only in a set that has them): [n] rows of C label logits. */
  public static final String LABEL_LOGITS_COLUMN = "label_logits";

  /** Schema metadata keys (all values are strings; structured ones are JSON). */
  public static final String KEY_FORMAT_VERSION = TrajectoryFormat.KEY_FORMAT_VERSION;
  public static final String KEY_KIND = "dd4j.kind";
  public static final String KEY_SHAPE = "dd4j.shape";
  public static final String KEY_NUM_CLASSES = "dd4j.num_classes";
  public static final String KEY_IPC = "dd4j.ipc";
  public static final String KEY_SYN_LR = "dd4j.syn_lr";
  public static final String KEY_ITERATION = "dd4j.iteration";
  public static final String KEY_CONFIG = "dd4j.config";
  public static final String KEY_PREPROCESSING = TrajectoryFormat.KEY_PREPROCESSING;
  public static final String KEY_VERSION = TrajectoryFormat.KEY_VERSION;

  /**
   * A synthetic set read back with what its file says about it.
   *
   * @param set the images (preprocessed space), labels, shape, ipc and syn_lr
   * @param iteration outer distillation iteration at which the set was saved, >= 0
   * @param config the run's configuration, unmodifiable, JSON types (Integer/Long, Double,
   *     String, Boolean, List, Map)
   * @param preprocessing the input transform as {@code Preprocessing.describe()}, unmodifiable
   * @param dd4jVersion the dd4j version that wrote the file
   */
  public record Loaded(SyntheticSet set, long iteration, Map<String, Object> config,
      Map<String, Object> preprocessing, String dd4jVersion) {

    /**
     * The architecture the set was distilled with, as its run configuration records it
     * ({@code "model"}, the form trajectory files use); empty for a file whose configuration
     * has no complete model (e.g. one written outside a distillation run).
     */
    public Optional<ModelSpec> model() {
      Object m = config.get("model");
      if (!(m instanceof Map<?, ?>)) {
        return Optional.empty();
      }
      try {
        return Optional.of(TrajectoryJson.modelFromJson(
            TrajectoryJson.MAPPER.valueToTree(m)));
      } catch (IllegalArgumentException incomplete) {
        return Optional.empty();
      }
    }
  }

  private SyntheticSetFile() {}

  /**
   * Writes {@code set} to {@code file} atomically, replacing any file there.
   *
   * @param file destination, conventionally {@code .arrow}; its directory must exist
   * @param set the distilled set; images [n, H, W, C_img] float32 in the preprocessed space
   * @param iteration outer distillation iteration the set was saved at, >= 0
   * @param config the run's full configuration (JSON-writable values), stored as a JSON object
   * @param preprocessing {@code Preprocessing.describe()} of the data's transform (empty map
   *     if none), stored as a JSON object
   * @throws IllegalArgumentException if an argument is invalid or a map is not JSON-writable
   * @throws UncheckedIOException if writing or renaming fails; no file is then left behind
   */
  public static void write(Path file, SyntheticSet set, long iteration,
      Map<String, ?> config, Map<String, ?> preprocessing) {
    checkNotNull(file, "file");
    checkNotNull(set, "set");
    checkArgument(iteration >= 0, "iteration must be >= 0, got %s", iteration);
    Path target = file.toAbsolutePath();
    checkArgument(Files.isDirectory(target.getParent()), "directory of %s must exist", file);
    Map<String, String> custom = schemaMetadata(set, iteration,
        TrajectoryJson.freezeObject(config, "config"),
        TrajectoryJson.freezeObject(preprocessing, "preprocessing"));
    Path temp = AtomicFiles.tempPathFor(target);
    try {
      try {
        writeArrow(temp, set, custom);
        AtomicFiles.publish(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic set to " + file, e);
    }
  }

  /**
   * Reads a synthetic set written by {@link #write}.
   *
   * @throws SyntheticSetFormatException if the file does not exist, is not a complete Arrow IPC
   *     file, is another kind of dd4j file (e.g. an expert trajectory), has an unsupported
   *     format version, or its metadata, columns and lengths disagree
   * @throws UncheckedIOException for other I/O errors (e.g. permissions)
   */
  public static Loaded read(Path file) {
    checkNotNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new SyntheticSetFormatException(file, "does not exist or is not a regular file",
          "check the path (a synthetic set is written by distillation, e.g. syn-final.arrow)");
    }
    try (BufferAllocator alloc = new RootAllocator();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
      Schema schema;
      List<ArrowBlock> blocks;
      try {
        schema = reader.getVectorSchemaRoot().getSchema();
        blocks = reader.getRecordBlocks();
      } catch (IOException | RuntimeException e) {
        throw new SyntheticSetFormatException(file,
            "is not a complete Arrow IPC file (truncated, corrupt or another format): "
                + e.getMessage(),
            "delete it and save the synthetic set again", e);
      }
      Map<String, String> custom =
          schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata();
      checkKindAndVersion(file, schema, custom);
      Header h = parseHeader(file, custom);
      checkColumns(file, schema, h.shape.size(), h.numClasses);
      if (blocks.size() != 1) {
        throw new SyntheticSetFormatException(file,
            "holds " + blocks.size() + " record batches, expected exactly 1",
            "write it again with SyntheticSetFile.write");
      }
      return new Loaded(readBatch(file, reader, blocks.get(0), h), h.iteration, h.config,
          h.preprocessing, h.version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  // ---------------------------------------------------------------------------------------

  private record Header(InputShape shape, int numClasses, int ipc, double synLr,
      long iteration, Map<String, Object> config, Map<String, Object> preprocessing,
      String version) {}

  static Schema schema(int imageSize, Map<String, String> customMetadata) {
    return schema(imageSize, 0, customMetadata);
  }

  /** The schema, with a label_logits column of {@code numClasses} floats when > 0. */
  static Schema schema(int imageSize, int labelLogitsSize, Map<String, String> customMetadata) {
    Field label =
        new Field(LABEL_COLUMN, FieldType.notNullable(new ArrowType.Int(32, true)), null);
    Field item = new Field("item",
        FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Field image = new Field(IMAGE_COLUMN,
        FieldType.notNullable(new ArrowType.FixedSizeList(imageSize)), List.of(item));
    if (labelLogitsSize == 0) {
      return new Schema(List.of(label, image), customMetadata);
    }
    Field logitItem = new Field("item",
        FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Field logits = new Field(LABEL_LOGITS_COLUMN,
        FieldType.notNullable(new ArrowType.FixedSizeList(labelLogitsSize)),
        List.of(logitItem));
    return new Schema(List.of(label, image, logits), customMetadata);
  }

  private static Map<String, String> schemaMetadata(SyntheticSet set, long iteration,
      Map<String, Object> config, Map<String, Object> preprocessing) {
    Map<String, String> m = new HashMap<>();
    m.put(KEY_FORMAT_VERSION, FORMAT_VERSION);
    m.put(KEY_KIND, KIND);
    ArrayNode shape = TrajectoryJson.MAPPER.createArrayNode();
    shape.add(set.shape().height()).add(set.shape().width()).add(set.shape().channels());
    m.put(KEY_SHAPE, TrajectoryJson.write(shape));
    m.put(KEY_NUM_CLASSES, Integer.toString(set.numClasses()));
    m.put(KEY_IPC, Integer.toString(set.ipc()));
    // Double.toString is the shortest decimal that parses back to the same double.
    m.put(KEY_SYN_LR, Double.toString(set.synLr()));
    m.put(KEY_ITERATION, Long.toString(iteration));
    m.put(KEY_CONFIG, TrajectoryJson.write(TrajectoryJson.MAPPER.valueToTree(config)));
    m.put(KEY_PREPROCESSING,
        TrajectoryJson.write(TrajectoryJson.MAPPER.valueToTree(preprocessing)));
    m.put(KEY_VERSION, Dd4jVersion.VERSION);
    return m;
  }

  private static void writeArrow(Path temp, SyntheticSet set, Map<String, String> custom)
      throws IOException {
    int n = set.count();
    int size = set.shape().size();
    float[] images = set.images();
    int[] labels = set.labels();
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema(size,
            set.hasSoftLabels() ? set.numClasses() : 0, custom), alloc);
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      root.getFieldVectors().forEach(v -> v.setInitialCapacity(n));
      root.allocateNew();
      IntVector label = (IntVector) root.getVector(LABEL_COLUMN);
      FixedSizeListVector image = (FixedSizeListVector) root.getVector(IMAGE_COLUMN);
      Float4Vector data = (Float4Vector) image.getDataVector();
      for (int i = 0; i < n; i++) {
        label.set(i, labels[i]);
        image.setNotNull(i);
      }
      for (int j = 0; j < images.length; j++) {
        data.set(j, images[j]); // sets the validity bit too; keeps the float's bits
      }
      if (set.hasSoftLabels()) {
        float[] y = set.labelLogits(); // [n, C]
        FixedSizeListVector logits = (FixedSizeListVector) root.getVector(LABEL_LOGITS_COLUMN);
        Float4Vector ydata = (Float4Vector) logits.getDataVector();
        for (int i = 0; i < n; i++) {
          logits.setNotNull(i);
        }
        for (int j = 0; j < y.length; j++) {
          ydata.set(j, y[j]);
        }
      }
      root.setRowCount(n);
      w.start();
      w.writeBatch();
      w.end();
      ch.force(true);
    }
  }

  private static void checkKindAndVersion(Path file, Schema schema,
      Map<String, String> custom) {
    String kind = custom.get(KEY_KIND);
    boolean trajectoryColumns = schema.getFields().stream()
        .anyMatch(f -> f.getName().equals(TrajectoryFormat.PARAMS_COLUMN));
    if (kind == null && (custom.containsKey(TrajectoryFormat.KEY_PARAMS) || trajectoryColumns)) {
      throw new SyntheticSetFormatException(file,
          "this is an expert trajectory (buffer file with epoch/params columns), not a "
              + "synthetic set",
          "pass the synthetic-set file saved by distillation (SyntheticSetFile.write); read"
              + " trajectories with TrajectoryReader");
    }
    if (kind == null) {
      throw new SyntheticSetFormatException(file,
          "has no " + KEY_KIND + " schema metadata, so it is not a dd4j synthetic set",
          "write it with SyntheticSetFile.write");
    }
    if (!kind.equals(KIND)) {
      throw new SyntheticSetFormatException(file,
          "is a dd4j \"" + kind + "\" file, not a synthetic set (" + KEY_KIND + " = \""
              + KIND + "\")",
          "pass the synthetic-set file saved by distillation");
    }
    String version = custom.get(KEY_FORMAT_VERSION);
    if (!FORMAT_VERSION.equals(version) && !OLDEST_FORMAT_VERSION.equals(version)) {
      throw new SyntheticSetFormatException(file,
          "has unsupported format version \"" + version + "\" (this dd4j reads versions \""
              + OLDEST_FORMAT_VERSION + "\" and \"" + FORMAT_VERSION + "\")",
          "read it with the dd4j version that wrote it");
    }
  }

  private static Header parseHeader(Path file, Map<String, String> custom) {
    try {
      JsonNode s = TrajectoryJson.parse(required(custom, KEY_SHAPE));
      checkArgument(s.isArray() && s.size() == 3 && s.get(0).isIntegralNumber()
          && s.get(1).isIntegralNumber() && s.get(2).isIntegralNumber(),
          "%s must be a JSON list [H, W, C], got %s", KEY_SHAPE, s);
      InputShape shape = new InputShape(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt());
      return new Header(shape,
          Integer.parseInt(required(custom, KEY_NUM_CLASSES)),
          Integer.parseInt(required(custom, KEY_IPC)),
          Double.parseDouble(required(custom, KEY_SYN_LR)),
          Long.parseLong(required(custom, KEY_ITERATION)),
          TrajectoryJson.objectFromJson(TrajectoryJson.parse(required(custom, KEY_CONFIG)),
              KEY_CONFIG),
          TrajectoryJson.objectFromJson(
              TrajectoryJson.parse(required(custom, KEY_PREPROCESSING)), KEY_PREPROCESSING),
          required(custom, KEY_VERSION));
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw new SyntheticSetFormatException(file,
          "has invalid dd4j metadata: " + e.getMessage(),
          "write it again with SyntheticSetFile.write", e);
    }
  }

  private static String required(Map<String, String> custom, String key) {
    String v = custom.get(key);
    checkArgument(v != null, "missing key %s", key);
    return v;
  }

  private static void checkColumns(Path file, Schema schema, int imageSize, int numClasses) {
    List<Field> fields = schema.getFields();
    boolean logits = fields.size() == 3;
    boolean logitsOk = !logits || (fields.get(2).getName().equals(LABEL_LOGITS_COLUMN)
        && fields.get(2).getType().equals(new ArrowType.FixedSizeList(numClasses))
        && fields.get(2).getChildren().size() == 1
        && fields.get(2).getChildren().get(0).getType()
            .equals(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    boolean ok = (fields.size() == 2 || fields.size() == 3) && logitsOk
        && fields.get(0).getName().equals(LABEL_COLUMN)
        && fields.get(0).getType().equals(new ArrowType.Int(32, true))
        && fields.get(1).getName().equals(IMAGE_COLUMN)
        && fields.get(1).getType() instanceof ArrowType.FixedSizeList
        && fields.get(1).getChildren().size() == 1
        && fields.get(1).getChildren().get(0).getType()
            .equals(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    if (!ok) {
      throw new SyntheticSetFormatException(file,
          "has columns " + fields + ", expected label: int32, image: "
              + "fixed_size_list<float32>(H*W*C) and optionally label_logits: "
              + "fixed_size_list<float32>(" + numClasses + ")",
          "write it with SyntheticSetFile.write");
    }
    int listSize = ((ArrowType.FixedSizeList) fields.get(1).getType()).getListSize();
    if (listSize != imageSize) {
      throw new SyntheticSetFormatException(file,
          "image length mismatch: the image column holds " + listSize
              + " floats per image but " + KEY_SHAPE + " gives H*W*C = " + imageSize,
          "the file is inconsistent; write it again");
    }
  }

  private static SyntheticSet readBatch(Path file, ArrowFileReader reader, ArrowBlock block,
      Header h) throws IOException {
    try {
      if (!reader.loadRecordBatch(block)) {
        throw new IOException("the record batch could not be loaded");
      }
    } catch (IOException | RuntimeException e) {
      throw new SyntheticSetFormatException(file,
          "its record batch cannot be read (truncated or corrupt): " + e.getMessage(),
          "delete it and save the synthetic set again", e);
    }
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    IntVector label = (IntVector) root.getVector(LABEL_COLUMN);
    FixedSizeListVector image = (FixedSizeListVector) root.getVector(IMAGE_COLUMN);
    Float4Vector data = (Float4Vector) image.getDataVector();
    long n = (long) h.numClasses * h.ipc;
    int size = h.shape.size();
    int rows = root.getRowCount();
    if (rows != n || label.getNullCount() != 0 || image.getNullCount() != 0
        || data.getValueCount() != n * size || data.getNullCount() != 0) {
      throw new SyntheticSetFormatException(file,
          "lengths are inconsistent: " + rows + " rows and " + data.getValueCount()
              + " image values (" + (label.getNullCount() + image.getNullCount()
              + data.getNullCount()) + " null), but " + KEY_NUM_CLASSES + " x " + KEY_IPC
              + " = " + n + " images of " + size + " floats",
          "the file is inconsistent; write it again");
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = label.get(i);
    }
    float[] images = new float[rows * size];
    // Copy out of the reader's buffers, which close with it.
    data.getDataBuffer().nioBuffer(0, images.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(images);
    float[] labelLogits = null;
    FieldVector logitsColumn = root.getVector(LABEL_LOGITS_COLUMN);
    if (logitsColumn != null) {
      Float4Vector ydata = (Float4Vector) ((FixedSizeListVector) logitsColumn).getDataVector();
      if (logitsColumn.getNullCount() != 0 || ydata.getValueCount() != n * h.numClasses
          || ydata.getNullCount() != 0) {
        throw new SyntheticSetFormatException(file, "its label_logits column holds "
            + ydata.getValueCount() + " values (" + (logitsColumn.getNullCount()
            + ydata.getNullCount()) + " null), expected " + n + " x " + h.numClasses,
            "the file is inconsistent; write it again");
      }
      labelLogits = new float[(int) n * h.numClasses];
      ydata.getDataBuffer().nioBuffer(0, labelLogits.length * Float.BYTES)
          .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(labelLogits);
    }
    try {
      return new SyntheticSet(images, labels, h.shape, h.numClasses, h.ipc, h.synLr,
          labelLogits);
    } catch (IllegalArgumentException e) {
      throw new SyntheticSetFormatException(file,
          "is inconsistent: " + e.getMessage(), "write it again with SyntheticSetFile.write",
          e);
    }
  }
}
