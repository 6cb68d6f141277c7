package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

/**
 * Writes one expert's trajectory: one snapshot per {@link #append}, then {@link #commit()}.
 *
 * <p>Data go to a temporary file beside the final one ({@code .expert-00003.arrow.tmp}); only
 * {@code commit()} fsyncs it and renames it to the final path in one atomic step. {@link
 * #close()} without a commit deletes the temporary file, so an exception or a crash never
 * leaves a half-written file under the final name (a crash may leave a stale {@code .tmp},
 * which {@link BufferDirectory} removes). Use in try-with-resources:
 *
 * <pre>{@code
 * try (TrajectoryWriter w = TrajectoryWriter.create(path, metadata)) {
 *   w.append(0, initialParams);
 *   for (int e = 1; e <= epochs; e++) { train(); w.append(e, params); }
 *   w.commit();
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Memory: one snapshot (4 P bytes) off the Java heap.
 */
public final class TrajectoryWriter implements AutoCloseable {

  private enum State { OPEN, COMMITTED, CLOSED }

  private final Path finalPath;
  private final Path tempPath;
  private final TrajectoryMetadata metadata;
  private final Runnable onCommit;
  private final Runnable onClose;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final FileChannel channel;
  private final ArrowFileWriter writer;
  /** Footer metadata; ArrowFileWriter reads this map when it writes the footer at end(). */
  private final Map<String, String> footer = new HashMap<>();
  private final List<Integer> epochs = new ArrayList<>();
  private State state = State.OPEN;
  private boolean released;

  private TrajectoryWriter(Path finalPath, TrajectoryMetadata metadata, Runnable onCommit,
      Runnable onClose) throws IOException {
    this.finalPath = finalPath.toAbsolutePath();
    this.tempPath = AtomicFiles.tempPathFor(this.finalPath);
    this.metadata = metadata;
    this.onCommit = onCommit;
    this.onClose = onClose;
    BufferAllocator alloc = new RootAllocator();
    VectorSchemaRoot r = null;
    FileChannel ch = null;
    try {
      r = VectorSchemaRoot.create(TrajectoryFormat.schema(metadata), alloc);
      r.getFieldVectors().forEach(v -> v.setInitialCapacity(1));
      // A stale temporary file from a crashed run is overwritten.
      ch = FileChannel.open(tempPath, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      ArrowFileWriter w = new ArrowFileWriter(r, null, ch, footer);
      w.start();
      this.allocator = alloc;
      this.root = r;
      this.channel = ch;
      this.writer = w;
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch, e);
      closeQuietly(r, e);
      closeQuietly(alloc, e);
      deleteQuietly(tempPath, e);
      throw e;
    }
  }

  /**
   * Starts a trajectory that {@link #commit()} will put at {@code finalPath} (replacing any
   * file there).
   *
   * @param finalPath where the finished file goes; its directory must exist
   * @param metadata what the file says about itself; fixes the snapshot length P
   * @throws UncheckedIOException if the temporary file cannot be created
   */
  public static TrajectoryWriter create(Path finalPath, TrajectoryMetadata metadata) {
    return create(finalPath, metadata, () -> { }, () -> { });
  }

  /**
   * As {@link #create(Path, TrajectoryMetadata)}, running {@code onCommit} after a successful
   * rename and {@code onClose} once at {@link #close()} (committed or not).
   */
  static TrajectoryWriter create(Path finalPath, TrajectoryMetadata metadata, Runnable onCommit,
      Runnable onClose) {
    checkNotNull(finalPath, "finalPath");
    checkNotNull(metadata, "metadata");
    checkArgument(Files.isDirectory(finalPath.toAbsolutePath().getParent()),
        "directory of %s must exist", finalPath);
    try {
      return new TrajectoryWriter(finalPath, metadata, onCommit, onClose);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + AtomicFiles.tempPathFor(finalPath), e);
    }
  }

  /** The path {@link #commit()} writes to. */
  public Path finalPath() {
    return finalPath;
  }

  /** The metadata this writer was created with. */
  public TrajectoryMetadata metadata() {
    return metadata;
  }

  /** Snapshots appended so far. */
  public int numSnapshots() {
    return epochs.size();
  }

  /**
   * Appends one snapshot as the next record batch.
   *
   * @param epoch epochs of training done when the snapshot was taken: 0 for the
   *     initialization; >= 0 and greater than the previous snapshot's epoch
   * @param params flat parameter vector, float32, length P = {@code
   *     metadata().paramCount()} in {@link org.dd4j.models.ParamLayout} order; copied
   * @throws IllegalArgumentException if the length or the epoch is wrong
   * @throws IllegalStateException after {@link #commit()} or {@link #close()}
   * @throws UncheckedIOException if the write fails
   */
  public void append(int epoch, float[] params) {
    checkState(state == State.OPEN, "append after commit or close of %s", finalPath);
    checkNotNull(params, "params");
    checkArgument(params.length == metadata.paramCount(),
        "params length must be %s (the layout's parameter count), got %s",
        metadata.paramCount(), params.length);
    checkArgument(epoch >= 0, "epoch must be >= 0, got %s", epoch);
    checkArgument(epochs.isEmpty() || epoch > epochs.get(epochs.size() - 1),
        "epochs must increase: got %s after %s", epoch,
        epochs.isEmpty() ? null : epochs.get(epochs.size() - 1));
    root.allocateNew();
    ((IntVector) root.getVector(TrajectoryFormat.EPOCH_COLUMN)).set(0, epoch);
    FixedSizeListVector list =
        (FixedSizeListVector) root.getVector(TrajectoryFormat.PARAMS_COLUMN);
    list.setNotNull(0);
    Float4Vector data = (Float4Vector) list.getDataVector();
    for (int i = 0; i < params.length; i++) {
      data.set(i, params[i]); // sets the validity bit too
    }
    root.setRowCount(1);
    try {
      writer.writeBatch();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write snapshot to " + tempPath, e);
    }
    epochs.add(epoch);
  }

  /**
   * Finishes the file (footer), fsyncs it and atomically renames it to {@link #finalPath()}.
   * On failure the final path is untouched and {@link #close()} removes the temporary file.
   *
   * @return the final path
   * @throws IllegalStateException if no snapshot was appended, or already committed/closed
   * @throws UncheckedIOException if finishing or renaming fails
   */
  public Path commit() {
    checkState(state == State.OPEN, "commit after commit or close of %s", finalPath);
    checkState(!epochs.isEmpty(), "numSnapshots must be > 0 to commit %s, got 0", finalPath);
    ArrayNode list = TrajectoryJson.MAPPER.createArrayNode();
    epochs.forEach(list::add);
    footer.put(TrajectoryFormat.FOOTER_KEY_EPOCHS, TrajectoryJson.write(list));
    try {
      writer.end();
      channel.force(true);
      releaseResources();
      AtomicFiles.publish(tempPath, finalPath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit " + finalPath, e);
    }
    state = State.COMMITTED;
    onCommit.run();
    return finalPath;
  }

  /** Releases resources; without a successful {@link #commit()}, deletes the temporary file. */
  @Override
  public void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean committed = state == State.COMMITTED;
    state = State.CLOSED;
    RuntimeException failure = null;
    try {
      releaseResources();
    } catch (RuntimeException e) {
      failure = e;
    }
    if (!committed) {
      try {
        Files.deleteIfExists(tempPath);
      } catch (IOException e) {
        UncheckedIOException u = new UncheckedIOException("cannot delete " + tempPath, e);
        if (failure != null) {
          u.addSuppressed(failure);
        }
        failure = u;
      }
    }
    try {
      onClose.run();
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void releaseResources() {
    if (released) {
      return;
    }
    released = true;
    RuntimeException first = null;
    for (AutoCloseable c : new AutoCloseable[] {writer, channel, root, allocator}) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void closeQuietly(AutoCloseable c, Exception primary) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  private static void deleteQuietly(Path p, Exception primary) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }
}
