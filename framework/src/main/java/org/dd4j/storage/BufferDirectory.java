package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dd4j.models.ModelSpec;

/**
 * A buffer: a directory of expert trajectories {@code expert-00000.arrow},
 * {@code expert-00001.arrow}, ... and a {@code manifest.json} ({@link BufferManifest}).
 *
 * <p>An expert counts as complete only if its file exists under its final name, opens as a
 * trajectory of the buffer's model and holds {@code epochs + 1} snapshots; a re-run of buffer
 * training skips complete experts ({@link #missingExperts()}) and rewrites the others.
 * Writers made by {@link #newExpertWriter} update the manifest when they commit.
 *
 * <p>Thread-safe for experts trained in parallel by one process. Two processes must not
 * write the same buffer: {@link #create} deletes stale {@code .tmp} files, which would make
 * the other process's commit fail (never corrupt a file).
 */
public final class BufferDirectory {

  /** Name of the manifest file inside the directory. */
  public static final String MANIFEST_FILE = "manifest.json";

  private final Path root;
  private final Set<Integer> writing = new HashSet<>();
  private BufferManifest manifest;

  private BufferDirectory(Path root, BufferManifest manifest) {
    this.root = root;
    this.manifest = manifest;
  }

  /**
   * Creates a buffer directory, or reopens one made for the same training to continue it:
   * deletes stale temporary files and rewrites the manifest with the experts found complete.
   *
   * @param dir the directory; created with its parents if missing
   * @param manifest what the buffer holds; its {@code completed} list is ignored (the files
   *     decide). An existing buffer may be given a larger or smaller {@code numExperts}.
   * @throws TrajectoryFormatException if {@code dir} holds a buffer made for another model,
   *     dataset, number of epochs or training settings
   * @throws UncheckedIOException if the directory or manifest cannot be written
   */
  public static BufferDirectory create(Path dir, BufferManifest manifest) {
    checkNotNull(dir, "dir");
    checkNotNull(manifest, "manifest");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create buffer directory " + dir, e);
    }
    if (Files.exists(dir.resolve(MANIFEST_FILE))) {
      BufferManifest existing = readManifest(dir);
      if (!existing.sameTraining(manifest)) {
        List<String> diff = ModelSpecDiff.differences(existing.model(), manifest.model());
        throw new TrajectoryFormatException(dir,
            "already holds a buffer made for other training settings"
                + (diff.isEmpty() ? "" : " (" + String.join("; ", diff) + ")")
                + ": file has " + summary(existing) + ", asked for " + summary(manifest),
            "use another directory, or delete this one to start over");
      }
    }
    BufferDirectory b = new BufferDirectory(dir, manifest.withCompleted(List.of()));
    b.cleanStaleTempFiles();
    b.refreshManifest();
    return b;
  }

  /**
   * Opens an existing buffer for reading (writes nothing).
   *
   * @throws TrajectoryFormatException if there is no manifest or it is invalid
   */
  public static BufferDirectory open(Path dir) {
    checkNotNull(dir, "dir");
    return new BufferDirectory(dir, readManifest(dir));
  }

  /**
   * Opens an existing buffer and checks that it was made for {@code expected}.
   *
   * @throws TrajectoryFormatException as {@link #open(Path)}, or naming the differing fields
   */
  public static BufferDirectory open(Path dir, ModelSpec expected) {
    BufferDirectory b = open(dir);
    b.checkModel(expected);
    return b;
  }

  /** The buffer directory. */
  public Path root() {
    return root;
  }

  /** The manifest as last read or written by this object. */
  public synchronized BufferManifest manifest() {
    return manifest;
  }

  /** Where expert {@code i}'s trajectory lives: {@code root/expert-%05d.arrow}. */
  public Path expertPath(int i) {
    checkArgument(i >= 0, "expert index must be >= 0, got %s", i);
    return root.resolve(String.format("expert-%05d.arrow", i));
  }

  /**
   * Whether expert {@code i} is complete: its final file exists, opens, was made for the
   * buffer's model and holds {@code epochs + 1} snapshots. Reads only the file's footer.
   */
  public boolean isComplete(int i) {
    return Files.isRegularFile(expertPath(i)) && fileProblem(i).isEmpty();
  }

  /**
   * Sorts the experts in [0, numExperts) into usable ones ({@link #isComplete}) and skipped
   * ones, each with its file and why: not trained yet (no file; "still being trained" when
   * its temporary file is present) or unusable (a truncated or empty file, one made for
   * another model or holding too few snapshots, or a file the manifest lists as complete
   * that is gone). Reads only the files' footers; see {@link ExpertScan#requireUsable}.
   */
  public ExpertScan scan() {
    BufferManifest m = manifest();
    List<Integer> usable = new ArrayList<>();
    List<SkippedExpert> skipped = new ArrayList<>();
    for (int i = 0; i < m.numExperts(); i++) {
      Path file = expertPath(i);
      if (!Files.isRegularFile(file)) {
        if (m.completed().contains(i)) {
          skipped.add(new SkippedExpert(i, file, SkippedExpert.Kind.UNUSABLE,
              "is missing, but " + MANIFEST_FILE + " lists it as complete (deleted?)"));
        } else {
          skipped.add(new SkippedExpert(i, file, SkippedExpert.Kind.NOT_TRAINED,
              Files.exists(AtomicFiles.tempPathFor(file))
                  ? "still being trained (its temporary file "
                      + AtomicFiles.tempPathFor(file).getFileName() + " is present)"
                  : "not trained yet (buffer training is still running or stopped before"
                      + " it)"));
        }
        continue;
      }
      Optional<String> problem = fileProblem(i);
      if (problem.isEmpty()) {
        usable.add(i);
      } else {
        skipped.add(new SkippedExpert(i, file, SkippedExpert.Kind.UNUSABLE, problem.get()));
      }
    }
    return new ExpertScan(root, m.numExperts(), usable, skipped);
  }

  /** What is wrong with expert {@code i}'s existing file, or empty when it is complete. */
  private Optional<String> fileProblem(int i) {
    Path file = expertPath(i);
    BufferManifest m = manifest();
    try {
      if (Files.size(file) == 0) {
        return Optional.of("is empty (0 bytes)");
      }
    } catch (IOException e) {
      return Optional.of("cannot be read: " + e);
    }
    try (TrajectoryReader r = TrajectoryReader.open(file, m.model())) {
      if (r.numSnapshots() != m.numSnapshots()) {
        return Optional.of("holds " + r.numSnapshots() + " snapshots, a complete expert of"
            + " this buffer holds " + m.numSnapshots() + " (epochs + 1)");
      }
      if (!r.layout().equals(m.layout())) {
        return Optional.of("has another parameter layout than " + MANIFEST_FILE);
      }
      return Optional.empty();
    } catch (TrajectoryFormatException e) {
      return Optional.of(e.problem());
    } catch (UncheckedIOException e) {
      return Optional.of("cannot be read: " + e.getMessage());
    }
  }

  /** Indices in [0, numExperts) of the complete experts, ascending. Ignores temporary files. */
  public List<Integer> completeExperts() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < manifest().numExperts(); i++) {
      if (isComplete(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /** Indices in [0, numExperts) still to train, ascending. */
  public List<Integer> missingExperts() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < manifest().numExperts(); i++) {
      if (!isComplete(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * A writer for expert {@code i} (replacing an incomplete file). When it commits, the
   * manifest is rewritten with the expert listed as complete.
   *
   * @param i expert index in [0, numExperts)
   * @param seed the seed this expert is trained with, recorded in its metadata
   * @throws IllegalStateException if a writer for {@code i} from this object is still open
   */
  public TrajectoryWriter newExpertWriter(int i, long seed) {
    TrajectoryMetadata meta = manifest().metadataFor(i, seed);
    synchronized (this) {
      if (!writing.add(i)) {
        throw new IllegalStateException(
            "expert " + i + " of " + root + " is already being written");
      }
    }
    try {
      return TrajectoryWriter.create(expertPath(i), meta, this::refreshManifest, () -> {
        synchronized (this) {
          writing.remove(i);
        }
      });
    } catch (RuntimeException e) {
      synchronized (this) {
        writing.remove(i);
      }
      throw e;
    }
  }

  /**
   * Opens expert {@code i}'s trajectory, checked against the buffer's model.
   *
   * @throws TrajectoryFormatException if the file is missing, incomplete or for another model
   */
  public TrajectoryReader openExpert(int i) {
    return TrajectoryReader.open(expertPath(i), manifest().model());
  }

  /**
   * Checks that the buffer was made for {@code expected}.
   *
   * @throws TrajectoryFormatException naming every differing field
   */
  public void checkModel(ModelSpec expected) {
    checkNotNull(expected, "expected");
    List<String> diff = ModelSpecDiff.differences(manifest().model(), expected);
    if (!diff.isEmpty()) {
      throw new TrajectoryFormatException(root.resolve(MANIFEST_FILE),
          "buffer was made for another model: " + String.join("; ", diff),
          "use a buffer trained for this model, or train one");
    }
  }

  /**
   * Deletes temporary files ({@code .*.tmp}) not being written by a writer of this object.
   *
   * @return how many were deleted
   */
  public synchronized int cleanStaleTempFiles() {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
      for (Path f : files) {
        if (AtomicFiles.isTempName(f) && !isBeingWritten(f)) {
          Files.deleteIfExists(f);
          n++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean temporary files in " + root, e);
    }
    return n;
  }

  /**
   * Rescans the expert files and atomically rewrites {@code manifest.json} (temporary file,
   * fsync, rename) with the complete ones.
   *
   * @return the new manifest
   */
  public synchronized BufferManifest refreshManifest() {
    manifest = manifest.withCompleted(completeExperts());
    try {
      AtomicFiles.write(root.resolve(MANIFEST_FILE),
          manifest.toJson().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + root.resolve(MANIFEST_FILE), e);
    }
    return manifest;
  }

  private boolean isBeingWritten(Path temp) {
    for (int i : writing) {
      if (AtomicFiles.tempPathFor(expertPath(i)).equals(temp.toAbsolutePath())) {
        return true;
      }
    }
    return false;
  }

  private static BufferManifest readManifest(Path dir) {
    Path file = dir.resolve(MANIFEST_FILE);
    if (!Files.isRegularFile(file)) {
      throw new TrajectoryFormatException(dir, "is not a buffer: it has no " + MANIFEST_FILE,
          "check the path, or run buffer training to create it");
    }
    try {
      return BufferManifest.fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new TrajectoryFormatException(file, "is not a valid buffer manifest: "
          + e.getMessage(), "delete the buffer and run buffer training again", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String summary(BufferManifest m) {
    return "model " + m.model().name() + ", dataset " + m.dataset() + ", " + m.epochs()
        + " epochs, optimizer " + m.optimizer();
  }
}
