package org.dd4j.interop;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A PyTorch {@code .pt} file as {@code torch.save} writes it since PyTorch 1.6: a zip
 * archive ({@code java.util.zip}) with the pickled object in {@code NAME/data.pkl}, each
 * tensor storage in {@code NAME/data/KEY} (raw little-endian elements) and
 * {@code NAME/version}.
 *
 * <p>Reading is safe for untrusted files: the pickle is read by {@link SafeUnpickler}, which
 * refuses every Python global outside a short allow-list (so a pickle that would call
 * {@code os.system} is refused, naming {@code posix.system}), and every problem is a
 * one-line {@link TorchFormatException}: truncated or corrupt archives, the legacy non-zip
 * format of PyTorch before 1.6, TorchScript archives, big-endian files and dtypes other than
 * float32 / float64 / int64. The object read back is built of {@link java.util.List}
 * (Python lists), {@code Object[]} (tuples), {@link java.util.Map} (dicts), {@link
 * TorchTensor}, {@link String}, {@link Integer} / {@link Long} / {@link Double}, {@link
 * Boolean} and null. Tensor values are read from the archive when asked for, so keep the
 * file open while using them.
 *
 * <p>Writing takes the same kinds of objects ({@link #write}); the file opens with {@code
 * torch.load} of PyTorch 1.6 and later (also with {@code weights_only=True}).
 */
public final class TorchFile implements AutoCloseable {

  /** The pickle of a legacy (non-zip) file starts with protocol 2 and this magic number. */
  private static final byte[] LEGACY_START = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c,
      (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

  private static final String RESAVE = "re-save it with PyTorch 1.6 or later, whose default"
      + " is the zip format: torch.save(torch.load(f), f)";

  private final Path file;
  private final ZipFile zip;
  private final String prefix;
  private final Object root;

  private TorchFile(Path file, ZipFile zip, String prefix) {
    this.file = file;
    this.zip = zip;
    this.prefix = prefix;
    this.root = unpickle();
  }

  /**
   * Opens a {@code .pt} file and reads its pickled object (not yet the tensor values).
   *
   * @throws TorchFormatException if the file is missing, not a zip-format {@code .pt} file,
   *     truncated or corrupt, or its pickle names a global outside the allow-list or holds an
   *     unsupported dtype
   */
  public static TorchFile open(Path file) {
    checkNotNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new TorchFormatException(file, "does not exist or is not a regular file",
          "check the path");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(LEGACY_START.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      ZipFile zip;
      try {
        zip = new ZipFile(file.toFile());
      } catch (IOException e) {
        throw new TorchFormatException(file, "is truncated or corrupt (its zip directory"
            + " cannot be read: " + e.getMessage() + ")", "copy or save it again", e);
      }
      try {
        return new TorchFile(file, zip, findPrefix(file, zip));
      } catch (RuntimeException e) {
        closeQuietly(zip);
        throw e;
      }
    }
    if (java.util.Arrays.equals(head, LEGACY_START)) {
      throw new TorchFormatException(file, "is in PyTorch's legacy (non-zip) format of"
          + " torch < 1.6 or _use_new_zipfile_serialization=False, which dd4j does not read",
          RESAVE);
    }
    throw new TorchFormatException(file, head.length == 0 ? "is empty"
        : "is not a PyTorch .pt file (no zip header)", "pass a file written by torch.save");
  }

  private static String findPrefix(Path file, ZipFile zip) {
    String found = null;
    boolean torchScript = false;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      String name = en.nextElement().getName();
      int slash = name.indexOf('/');
      if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
        found = name.substring(0, slash + 1);
      }
      torchScript |= name.endsWith("/constants.pkl");
    }
    if (found == null) {
      throw new TorchFormatException(file, torchScript
          ? "is a TorchScript archive (torch.jit.save), not a torch.save file"
          : "is a zip archive without data.pkl, not a torch.save file",
          "pass a file written by torch.save");
    }
    ZipEntry order = zip.getEntry(found + "byteorder");
    if (order != null) {
      String o = new String(readEntry(file, zip, order, 16), StandardCharsets.US_ASCII).trim();
      if (!o.equals("little")) {
        throw new TorchFormatException(file, "stores tensors " + o + "-endian",
            "save it on a little-endian machine");
      }
    }
    return found;
  }

  private Object unpickle() {
    ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
    byte[] bytes = readEntry(file, zip, pkl, Integer.MAX_VALUE - 8);
    SafeUnpickler u = new SafeUnpickler(this::storage);
    try {
      return u.loads(bytes);
    } catch (SafeUnpickler.Refused e) {
      throw new TorchFormatException(file, "refused: it " + e.getMessage(), e.remedy(), e);
    } catch (TorchFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new TorchFormatException(file, "is corrupt: its pickle cannot be read ("
          + e.getMessage() + ")", "save it again with torch.save", e);
    } finally {
      u.close();
    }
  }

  private TorchTensor.StorageSource storage(SafeUnpickler.StorageRef ref) {
    TorchDtype dtype = TorchDtype.ofStorageClass(ref.storageClass()).orElseThrow();
    ZipEntry e = zip.getEntry(prefix + "data/" + ref.key());
    if (e == null) {
      throw new TorchFormatException(file, "is corrupt: storage " + ref.key()
          + " named by its pickle is missing", "save it again with torch.save");
    }
    long bytes = ref.numel() * dtype.bytes();
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new TorchFormatException(file, "holds a storage of " + ref.numel()
          + " elements, more than dd4j reads into one array (2 GB)", "save smaller tensors");
    }
    if (e.getSize() >= 0 && e.getSize() < bytes) {
      throw new TorchFormatException(file, "is corrupt: storage " + ref.key() + " holds "
          + e.getSize() + " bytes, its pickle says " + bytes, "save it again with torch.save");
    }
    return new TorchTensor.StorageSource() {
      @Override
      public TorchDtype dtype() {
        return dtype;
      }

      @Override
      public long numel() {
        return ref.numel();
      }

      @Override
      public ByteBuffer read() {
        byte[] b = readEntry(file, zip, e, (int) bytes);
        if (b.length < bytes) {
          throw new TorchFormatException(file, "is truncated: storage " + ref.key()
              + " ends after " + b.length + " of " + bytes + " bytes", "copy it again");
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      }
    };
  }

  private static byte[] readEntry(Path file, ZipFile zip, ZipEntry e, int max) {
    try (InputStream in = zip.getInputStream(e)) {
      return in.readNBytes(max);
    } catch (ZipException ex) {
      throw new TorchFormatException(file, "is truncated or corrupt (entry " + e.getName()
          + ": " + ex.getMessage() + ")", "copy or save it again", ex);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read " + file, ex);
    } catch (IllegalStateException ex) {
      throw new IllegalStateException(file + " was closed before its tensors were read", ex);
    }
  }

  /** The file this was read from. */
  public Path path() {
    return file;
  }

  /** The object {@code torch.load} would return, built of the types listed above. */
  public Object root() {
    return root;
  }

  @Override
  public void close() {
    closeQuietly(zip);
  }

  private static void closeQuietly(ZipFile z) {
    try {
      z.close();
    } catch (IOException ignored) {
      // read-only: nothing was written
    }
  }

  /**
   * Writes {@code root} as {@code torch.save} would, atomically (a temporary file in the same
   * directory, renamed when complete). Tensor values are read one storage at a time.
   *
   * @param root lists, {@code Object[]} tuples, maps with String keys, {@link TorchTensor},
   *     String, Integer/Long, Float/Double, Boolean and null
   * @throws IllegalArgumentException for another type
   * @throws UncheckedIOException if writing fails; no file is left behind
   */
  public static void write(Path file, Object root) {
    checkNotNull(file, "file");
    Path target = file.toAbsolutePath();
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    String archive = archiveName(target);
    TorchPickler pickler = new TorchPickler();
    byte[] pkl = pickler.pickle(root);
    try {
      try (CountingStream counting = new CountingStream(
              new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
          ZipOutputStream zip = new ZipOutputStream(counting)) {
        stored(zip, counting, archive + "/data.pkl", pkl);
        stored(zip, counting, archive + "/byteorder",
            "little".getBytes(StandardCharsets.US_ASCII));
        for (int k = 0; k < pickler.tensors().size(); k++) {
          stored(zip, counting, archive + "/data/" + k, pickler.tensors().get(k).toBytes());
        }
        stored(zip, counting, archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
      }
      try (var ch = java.nio.channels.FileChannel.open(temp,
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      org.dd4j.storage.AtomicFiles.publish(temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort: a stale hidden .tmp is harmless
      }
    }
  }

  /** torch.save names the archive folder after the file, without its extension. */
  private static String archiveName(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String base = dot > 0 ? n.substring(0, dot) : n;
    base = base.replaceAll("[^A-Za-z0-9_-]", "_");
    return base.isEmpty() ? "archive" : base;
  }

  /**
   * One uncompressed entry whose data start at a multiple of 64 bytes, as torch.save aligns
   * them (padding in an extra field with id "FB").
   */
  private static void stored(ZipOutputStream zip, CountingStream counting, String name,
      byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(315532800000L + 86_400_000L); // fixed (1980-01-02): the same bytes every time
    long header = counting.count + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
    int pad = (int) ((64 - header % 64) % 64);
    byte[] extra = new byte[4 + pad];
    extra[0] = 'F';
    extra[1] = 'B';
    extra[2] = (byte) pad;
    extra[3] = (byte) (pad >> 8);
    e.setExtra(extra);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** Counts the bytes written through it (the zip's position). */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
