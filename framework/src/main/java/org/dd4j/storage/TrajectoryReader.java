package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;

/**
 * Random access to the snapshots of one trajectory file.
 *
 * <p>{@link #open} reads only the file footer and schema; {@link #snapshot(int, float[])}
 * seeks to that snapshot's record batch and reads just it (4 P bytes, off the Java heap) and
 * copies it into a float array, so a reader costs one snapshot of memory however long the
 * trajectory. Not thread-safe: use one reader per thread. Close it (try-with-resources).
 *
 * <p>Every problem with the file is a {@link TrajectoryFormatException} naming the file.
 */
public final class TrajectoryReader implements AutoCloseable {

  private final Path file;
  private final TrajectoryMetadata metadata;
  private final BufferAllocator allocator;
  private final FileChannel channel;
  private final ArrowFileReader reader;
  private final List<ArrowBlock> blocks;
  private final int paramCount;
  private int[] epochs; // lazily, if the footer lacks them
  private boolean closed;

  private TrajectoryReader(Path file, BufferAllocator allocator, FileChannel channel,
      ArrowFileReader reader) {
    this.file = file;
    this.allocator = allocator;
    this.channel = channel;
    this.reader = reader;
    Schema schema;
    try {
      schema = reader.getVectorSchemaRoot().getSchema();
      blocks = reader.getRecordBlocks();
    } catch (IOException | RuntimeException e) {
      throw new TrajectoryFormatException(file,
          "is not a complete Arrow IPC file (truncated, corrupt or another format): "
              + e.getMessage(),
          "delete it and write it again (for a buffer, re-run buffer training)", e);
    }
    Map<String, String> custom = schema.getCustomMetadata();
    String version = custom == null ? null : custom.get(TrajectoryFormat.KEY_FORMAT_VERSION);
    if (version == null) {
      throw new TrajectoryFormatException(file,
          "has no " + TrajectoryFormat.KEY_FORMAT_VERSION + " schema metadata, so it is not a "
              + "dd4j trajectory", "write it with TrajectoryWriter");
    }
    if (!version.equals(TrajectoryFormat.FORMAT_VERSION)) {
      throw new TrajectoryFormatException(file,
          "has unsupported format version \"" + version + "\" (this dd4j reads version \""
              + TrajectoryFormat.FORMAT_VERSION + "\")",
          "read it with the dd4j version that wrote it, or re-run buffer training");
    }
    try {
      metadata = TrajectoryMetadata.fromSchemaMetadata(custom);
    } catch (IllegalArgumentException e) {
      throw new TrajectoryFormatException(file, "has invalid dd4j metadata: " + e.getMessage(),
          "write it again with TrajectoryWriter", e);
    }
    paramCount = metadata.paramCount();
    checkColumns(schema);
    if (blocks.isEmpty()) {
      throw new TrajectoryFormatException(file, "holds no snapshots",
          "delete it and write it again");
    }
    epochs = footerEpochs(reader.getMetaData());
  }

  /**
   * Opens a trajectory file, reading only its footer and schema.
   *
   * @param file an Arrow IPC file written by {@link TrajectoryWriter}
   * @throws TrajectoryFormatException if it does not exist, is not a complete Arrow IPC file,
   *     has a missing or unsupported format version, or its metadata or columns are invalid
   * @throws UncheckedIOException for other I/O errors (e.g. permissions)
   */
  public static TrajectoryReader open(Path file) {
    checkNotNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new TrajectoryFormatException(file, "does not exist or is not a regular file",
          "check the path (for a buffer, run buffer training first)");
    }
    BufferAllocator alloc = new RootAllocator();
    FileChannel ch = null;
    ArrowFileReader r = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      r = new ArrowFileReader(ch, alloc);
      return new TrajectoryReader(file, alloc, ch, r);
    } catch (NoSuchFileException e) {
      closeAll(e, r, ch, alloc);
      throw new TrajectoryFormatException(file, "does not exist", "check the path", e);
    } catch (IOException e) {
      closeAll(e, r, ch, alloc);
      throw new UncheckedIOException("cannot open " + file, e);
    } catch (RuntimeException e) {
      closeAll(e, r, ch, alloc);
      throw e;
    }
  }

  /**
   * Opens a trajectory file and checks that it was made for {@code expected}.
   *
   * @throws TrajectoryFormatException as {@link #open(Path)}, or if the model differs; the
   *     message lists every differing field, e.g. "width 32 in file vs 128 expected"
   */
  public static TrajectoryReader open(Path file, ModelSpec expected) {
    TrajectoryReader r = open(file);
    try {
      r.checkModel(expected);
      return r;
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** The file this reader reads. */
  public Path file() {
    return file;
  }

  /** What the file says about itself. */
  public TrajectoryMetadata metadata() {
    return metadata;
  }

  /** The parameter layout of every snapshot. */
  public ParamLayout layout() {
    return metadata.layout();
  }

  /** P: floats per snapshot. */
  public int paramCount() {
    return paramCount;
  }

  /** Number of snapshots (record batches), T + 1 for T epochs of training. */
  public int numSnapshots() {
    return blocks.size();
  }

  /**
   * The epoch of every snapshot, in file order (usually 0, 1, ..., T). Read from the file
   * footer; for a file without them, every batch is read once (then cached).
   *
   * @return a fresh array of length {@link #numSnapshots()}
   */
  public int[] epochs() {
    checkState(!closed, "reader of %s is closed", file);
    if (epochs == null) {
      int[] e = new int[blocks.size()];
      for (int t = 0; t < e.length; t++) {
        load(t);
        e[t] = ((IntVector) root().getVector(TrajectoryFormat.EPOCH_COLUMN)).get(0);
      }
      epochs = e;
    }
    return epochs.clone();
  }

  /**
   * Reads snapshot {@code index} into a new array.
   *
   * @param index 0-based snapshot index, in [0, numSnapshots())
   * @return the flat parameter vector, float32, length P
   * @throws TrajectoryFormatException if the index is out of range or the batch is corrupt
   */
  public float[] snapshot(int index) {
    float[] out = new float[paramCount];
    snapshot(index, out);
    return out;
  }

  /**
   * Reads snapshot {@code index} into {@code into}, without allocating on the heap.
   *
   * @param index 0-based snapshot index, in [0, numSnapshots())
   * @param into destination, length P = {@link #paramCount()}; overwritten
   * @throws IllegalArgumentException if {@code into} has the wrong length
   * @throws TrajectoryFormatException if the index is out of range or the batch is corrupt
   */
  public void snapshot(int index, float[] into) {
    checkNotNull(into, "into");
    checkArgument(into.length == paramCount, "into must have length %s (P), got %s",
        paramCount, into.length);
    load(index);
    VectorSchemaRoot root = root();
    FixedSizeListVector list =
        (FixedSizeListVector) root.getVector(TrajectoryFormat.PARAMS_COLUMN);
    Float4Vector data = (Float4Vector) list.getDataVector();
    if (root.getRowCount() != 1 || list.getNullCount() != 0
        || data.getValueCount() != paramCount || data.getNullCount() != 0) {
      throw new TrajectoryFormatException(file,
          "snapshot " + index + " is malformed: " + root.getRowCount() + " rows, "
              + data.getValueCount() + " values of which " + data.getNullCount()
              + " null (expected 1 row of " + paramCount + " non-null floats)",
          "delete the file and write it again");
    }
    // The data buffer is reused by the next load: copy out now.
    data.getDataBuffer().nioBuffer(0, paramCount * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into);
  }

  /**
   * Checks that the file was made for {@code expected}.
   *
   * @throws TrajectoryFormatException listing every differing field
   */
  public void checkModel(ModelSpec expected) {
    checkNotNull(expected, "expected");
    List<String> diff = ModelSpecDiff.differences(metadata.model(), expected);
    if (!diff.isEmpty()) {
      throw new TrajectoryFormatException(file,
          "was made for another model: " + String.join("; ", diff),
          "use a buffer trained for this model, or train one");
    }
  }

  /**
   * Checks that the snapshots use {@code expected}'s parameter names, shapes and order.
   *
   * @throws TrajectoryFormatException naming the first differing tensor or the length
   */
  public void checkLayout(ParamLayout expected) {
    checkNotNull(expected, "expected");
    ParamLayout actual = metadata.layout();
    if (actual.totalSize() != expected.totalSize()) {
      throw new TrajectoryFormatException(file,
          "params length mismatch: " + actual.totalSize() + " floats per snapshot in file vs "
              + expected.totalSize() + " expected",
          "use a buffer trained for this model, or train one");
    }
    for (int k = 0; k < Math.max(actual.count(), expected.count()); k++) {
      Object a = k < actual.count() ? actual.get(k) : "nothing";
      Object x = k < expected.count() ? expected.get(k) : "nothing";
      if (!a.equals(x)) {
        throw new TrajectoryFormatException(file,
            "parameter " + k + " is " + a + " in file vs " + x + " expected",
            "use a buffer trained for this model, or train one");
      }
    }
  }

  /** Releases the file and the off-heap buffer. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = new RuntimeException("closing reader of " + file);
    closeAll(failure, reader, channel, allocator);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  private VectorSchemaRoot root() {
    try {
      return reader.getVectorSchemaRoot();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // already initialized in the constructor
    }
  }

  private void load(int index) {
    checkState(!closed, "reader of %s is closed", file);
    if (index < 0 || index >= blocks.size()) {
      throw new TrajectoryFormatException(file,
          "snapshot index " + index + " out of range [0, " + blocks.size() + ")",
          "ask for an index below numSnapshots()");
    }
    try {
      if (!reader.loadRecordBatch(blocks.get(index))) {
        throw new IOException("record batch " + index + " could not be loaded");
      }
    } catch (IOException | RuntimeException e) {
      throw new TrajectoryFormatException(file,
          "snapshot " + index + " cannot be read (corrupt file?): " + e.getMessage(),
          "delete the file and write it again", e);
    }
  }

  private void checkColumns(Schema schema) {
    List<Field> fields = schema.getFields();
    boolean ok = fields.size() == 2
        && fields.get(0).getName().equals(TrajectoryFormat.EPOCH_COLUMN)
        && fields.get(0).getType().equals(new ArrowType.Int(32, true))
        && fields.get(1).getName().equals(TrajectoryFormat.PARAMS_COLUMN)
        && fields.get(1).getType() instanceof ArrowType.FixedSizeList
        && fields.get(1).getChildren().size() == 1
        && fields.get(1).getChildren().get(0).getType()
            .equals(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    if (!ok) {
      throw new TrajectoryFormatException(file,
          "has columns " + fields + ", expected epoch: int32, params: "
              + "fixed_size_list<float32>(P)",
          "write it with TrajectoryWriter");
    }
    int listSize = ((ArrowType.FixedSizeList) fields.get(1).getType()).getListSize();
    if (listSize != paramCount) {
      throw new TrajectoryFormatException(file,
          "params length mismatch: the params column holds " + listSize
              + " floats per snapshot but " + TrajectoryFormat.KEY_PARAMS + " describes "
              + paramCount,
          "the file is inconsistent; write it again");
    }
  }

  /** The footer's epoch list, or null if absent or inconsistent (then the batches decide). */
  private int[] footerEpochs(Map<String, String> footer) {
    String json = footer == null ? null : footer.get(TrajectoryFormat.FOOTER_KEY_EPOCHS);
    if (json == null) {
      return null;
    }
    try {
      JsonNode a = TrajectoryJson.parse(json);
      if (!a.isArray() || a.size() != blocks.size()) {
        return null;
      }
      int[] e = new int[a.size()];
      for (int t = 0; t < e.length; t++) {
        e[t] = a.get(t).asInt();
      }
      return e;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void closeAll(Exception primary, AutoCloseable... resources) {
    for (AutoCloseable c : resources) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        primary.addSuppressed(e);
      }
    }
  }
}
