package org.dd4j.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy {@code .npz} archive as {@code numpy.savez} writes it: a zip of {@code NAME.npy}
 * files, each the NPY format version 1.0 (magic, a Python-literal header with dtype,
 * {@code fortran_order: False} and shape, padded to 64 bytes, then the little-endian values
 * in C order). Read with {@code numpy.load(path)} (no pickles: {@code allow_pickle=False}
 * works). Strings are stored as 0-d Unicode arrays ({@code str(npz["config"])}).
 */
final class NumpyArchive {

  private final Map<String, byte[]> arrays = new LinkedHashMap<>();

  /** Adds a tensor's values under {@code name}, same dtype and shape. */
  NumpyArchive put(String name, TorchTensor t) {
    arrays.put(name, npy(t.dtype().numpyDescr(), t.shape(), t.toBytes()));
    return this;
  }

  /** Adds a 0-d Unicode array (NumPy {@code <U n}). */
  NumpyArchive putString(String name, String value) {
    int[] cps = value.codePoints().toArray();
    ByteBuffer b = ByteBuffer.allocate(Math.max(1, cps.length) * 4)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int cp : cps) {
      b.putInt(cp);
    }
    arrays.put(name, npy("<U" + Math.max(1, cps.length), new long[0], b.array()));
    return this;
  }

  /** Writes the archive (deflated entries, as {@code numpy.savez_compressed}). */
  void writeTo(OutputStream out) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }

  static byte[] npy(String descr, long[] shape, byte[] data) {
    StringJoiner dims = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
    for (long s : shape) {
      dims.add(Long.toString(s));
    }
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims
        + ", }";
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    int len = header.length();
    out.write(len & 0xff);
    out.write(len >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    return out.toByteArray();
  }
}
