package org.dd4j.monitor;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.dd4j.storage.AtomicFiles;
import org.tensorflow.proto.Event;

/**
 * TensorBoard's event files read back (and, to drop the events a resumed run redoes,
 * rewritten) in Java: TensorFlow's record format, each record
 *
 * <pre>
 * uint64 length (little-endian) | uint32 masked CRC32C of those 8 bytes | data[length] |
 * uint32 masked CRC32C of data
 * </pre>
 *
 * with masked(crc) = ((crc &gt;&gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8, and each data an
 * {@code tensorflow.Event} (TensorFlow Java's own proto class). Source: TensorFlow's
 * {@code core/lib/io/record_writer.cc} and {@code core/lib/hash/crc32c.h}.
 *
 * <p>Files are untrusted: a truncated or corrupt record ends the read of its file, keeping the
 * records before it and saying what was wrong ({@link Read#problem()}), so that a killed run
 * or a damaged file costs a warning, not the report.
 */
public final class EventFiles {

  /** What every event file's name starts with (TensorBoard finds files by "tfevents"). */
  public static final String PREFIX = "events.out.tfevents.";

  private static final int MASK_DELTA = 0xa282ead8;
  /** A record longer than this is taken as corruption, not allocated. */
  private static final long MAX_RECORD = 256L << 20;

  private EventFiles() {}

  /**
   * The events of one file that could be read.
   *
   * @param file the event file
   * @param events its events in file order, up to the first bad record
   * @param problem what stopped the read early (truncated, checksum, not an Event), if any
   */
  public record Read(Path file, List<Event> events, Optional<String> problem) {

    /** A one-line warning naming the file, when something was wrong. */
    public Optional<String> warning() {
      return problem.map(p -> "warning: " + file + ": " + p + "; read the " + events.size()
          + " events before it");
    }
  }

  /** The event files under {@code dir} (any depth), sorted by path; empty if none or no dir. */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Every event file under {@code dir}, each read as far as it is intact. */
  public static List<Read> readAll(Path dir) {
    return list(dir).stream().map(EventFiles::read).toList();
  }

  /** The events of one file, as far as it is intact. */
  public static Read read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return new Read(file, List.of(), Optional.of("cannot read: " + e.getMessage()));
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.hasRemaining()) {
      int at = b.position();
      String where = "record " + (events.size() + 1) + " at byte " + at;
      if (b.remaining() < 12) {
        return new Read(file, events, Optional.of(where + " is truncated"));
      }
      long length = b.getLong();
      int lengthCrc = b.getInt();
      if (lengthCrc != masked(bytes, at, 8)) {
        return new Read(file, events, Optional.of(where + ": length checksum mismatch"));
      }
      if (length < 0 || length > MAX_RECORD || b.remaining() < length + 4) {
        return new Read(file, events, Optional.of(where + " is truncated"));
      }
      int start = b.position();
      b.position(start + (int) length);
      if (b.getInt() != masked(bytes, start, (int) length)) {
        return new Read(file, events, Optional.of(where + ": data checksum mismatch"));
      }
      try {
        events.add(Event.parseFrom(ByteBuffer.wrap(bytes, start, (int) length)));
      } catch (InvalidProtocolBufferException e) {
        return new Read(file, events, Optional.of(where + " is not an Event: "
            + e.getMessage()));
      }
    }
    return new Read(file, events, Optional.empty());
  }

  /**
   * Rewrites every event file under {@code dir} without the events {@code drop} selects (and
   * without a damaged tail), each atomically (temporary name, then rename); files left with
   * nothing to drop are not touched.
   *
   * @return how many events were dropped
   */
  public static int drop(Path dir, Predicate<Event> drop) {
    int dropped = 0;
    for (Path f : list(dir)) {
      Read r = read(f);
      List<Event> keep = r.events().stream().filter(drop.negate()).toList();
      if (keep.size() == r.events().size() && r.problem().isEmpty()) {
        continue;
      }
      dropped += r.events().size() - keep.size();
      write(f, keep);
    }
    return dropped;
  }

  /** Writes {@code events} as a record file, atomically. */
  public static void write(Path file, List<Event> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Event e : events) {
      out.writeBytes(record(e.toByteArray()));
    }
    try {
      AtomicFiles.write(file, out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** One framed record around {@code data}. */
  static byte[] record(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(masked(b.array(), 0, 8));
    b.put(data);
    b.putInt(masked(data, 0, data.length));
    return b.array();
  }

  /** TensorFlow's masked CRC32C of {@code bytes[offset, offset + length)}. */
  static int masked(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }
}
