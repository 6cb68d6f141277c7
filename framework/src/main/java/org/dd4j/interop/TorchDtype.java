package org.dd4j.interop;

import java.util.Map;
import java.util.Optional;

/**
 * The tensor element types dd4j reads and writes in {@code .pt}, {@code .npz} and
 * safetensors files, with each format's name for them. Storage classes of other dtypes
 * (float16, bfloat16, int32, uint8, bool, ...) are recognized only to name them in an error.
 */
public enum TorchDtype {
  FLOAT32("FloatStorage", "float32", 4, "<f4", "F32"),
  FLOAT64("DoubleStorage", "float64", 8, "<f8", "F64"),
  INT64("LongStorage", "int64", 8, "<i8", "I64");

  /** Storage classes of dtypes dd4j does not read, and their torch dtype names. */
  private static final Map<String, String> UNSUPPORTED = Map.of(
      "HalfStorage", "float16", "BFloat16Storage", "bfloat16", "IntStorage", "int32",
      "ShortStorage", "int16", "CharStorage", "int8", "ByteStorage", "uint8",
      "BoolStorage", "bool", "ComplexFloatStorage", "complex64",
      "ComplexDoubleStorage", "complex128");

  private final String storageClass;
  private final String torchName;
  private final int bytes;
  private final String numpyDescr;
  private final String safetensorsName;

  TorchDtype(String storageClass, String torchName, int bytes, String numpyDescr,
      String safetensorsName) {
    this.storageClass = storageClass;
    this.torchName = torchName;
    this.bytes = bytes;
    this.numpyDescr = numpyDescr;
    this.safetensorsName = safetensorsName;
  }

  /** The pickled storage class in module {@code torch}, e.g. "FloatStorage". */
  public String storageClass() {
    return storageClass;
  }

  /** PyTorch's dtype name without "torch.", e.g. "float32". */
  public String torchName() {
    return torchName;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** NumPy's little-endian type string, e.g. "&lt;f4". */
  public String numpyDescr() {
    return numpyDescr;
  }

  /** The safetensors dtype, e.g. "F32". */
  public String safetensorsName() {
    return safetensorsName;
  }

  /** The dtype of storage class {@code torch.NAME}, if dd4j reads it. */
  public static Optional<TorchDtype> ofStorageClass(String name) {
    for (TorchDtype d : values()) {
      if (d.storageClass.equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The torch dtype name of an unsupported storage class, if it is one. */
  static Optional<String> unsupportedName(String storageClass) {
    return Optional.ofNullable(UNSUPPORTED.get(storageClass));
  }

  /** Every storage class a pickle may name: the supported and the recognized others. */
  static boolean isStorageClass(String name) {
    return ofStorageClass(name).isPresent() || UNSUPPORTED.containsKey(name);
  }
}
