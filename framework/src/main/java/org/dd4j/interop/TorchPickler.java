package org.dd4j.interop;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pickles (protocol 2) the plain objects of a {@code .pt} file, as Python's pickler writes
 * them for {@code torch.save}: each tensor as {@code torch._utils._rebuild_tensor_v2(
 * storage, 0, size, stride, False, OrderedDict())} with the storage as a persistent id
 * {@code ('storage', torch.FloatStorage, 'k', 'cpu', numel)}; the storages themselves go
 * into the archive beside the pickle ({@link #tensors()}, key k = index).
 */
final class TorchPickler {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<TorchTensor> tensors = new ArrayList<>();

  /** The pickle of {@code root}; call once. */
  byte[] pickle(Object root) {
    out.write(0x80); // PROTO 2
    out.write(2);
    value(root);
    out.write('.'); // STOP
    return out.toByteArray();
  }

  /** The tensors in storage-key order, after {@link #pickle}. */
  List<TorchTensor> tensors() {
    return tensors;
  }

  private void value(Object o) {
    if (o == null) {
      out.write('N');
    } else if (o instanceof Boolean b) {
      out.write(b ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
    } else if (o instanceof Integer || o instanceof Long) {
      integer(((Number) o).longValue());
    } else if (o instanceof Float || o instanceof Double) {
      out.write('G'); // BINFLOAT, big-endian
      out.writeBytes(ByteBuffer.allocate(8).putDouble(((Number) o).doubleValue()).array());
    } else if (o instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write('X'); // BINUNICODE
      out.writeBytes(le32(b.length));
      out.writeBytes(b);
    } else if (o instanceof List<?> list) {
      out.write(']'); // EMPTY_LIST
      if (!list.isEmpty()) {
        out.write('(');
        list.forEach(this::value);
        out.write('e'); // APPENDS
      }
    } else if (o instanceof Object[] tuple) {
      tuple(tuple);
    } else if (o instanceof Map<?, ?> map) {
      out.write('}'); // EMPTY_DICT
      if (!map.isEmpty()) {
        out.write('(');
        map.forEach((k, v) -> {
          value(k);
          value(v);
        });
        out.write('u'); // SETITEMS
      }
    } else if (o instanceof TorchTensor t) {
      tensor(t);
    } else {
      throw new IllegalArgumentException("cannot write a " + o.getClass().getName()
          + " into a .pt file");
    }
  }

  private void tuple(Object[] items) {
    if (items.length == 0) {
      out.write(')'); // EMPTY_TUPLE
      return;
    }
    out.write('(');
    for (Object item : items) {
      value(item);
    }
    out.write('t'); // TUPLE
  }

  private void tensor(TorchTensor t) {
    int key = tensors.size();
    tensors.add(t);
    global("torch._utils", "_rebuild_tensor_v2");
    out.write('(');
    out.write('(');
    value("storage");
    global("torch", t.dtype().storageClass());
    value(Integer.toString(key));
    value("cpu");
    integer(t.numel());
    out.write('t');
    out.write('Q'); // BINPERSID
    integer(0);
    long[] shape = t.shape();
    long[] stride = TorchTensor.rowMajorStrides(shape);
    tuple(boxed(shape));
    tuple(boxed(stride));
    out.write(0x89); // requires_grad False
    global("collections", "OrderedDict");
    out.write(')');
    out.write('R'); // OrderedDict()
    out.write('t');
    out.write('R'); // _rebuild_tensor_v2(...)
  }

  private void global(String module, String name) {
    out.write('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static Object[] boxed(long[] v) {
    Object[] o = new Object[v.length];
    for (int i = 0; i < v.length; i++) {
      o[i] = v[i];
    }
    return o;
  }

  private void integer(long v) {
    if (v >= 0 && v < 256) {
      out.write('K'); // BININT1
      out.write((int) v);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out.write('J'); // BININT
      out.writeBytes(le32((int) v));
    } else {
      byte[] be = BigInteger.valueOf(v).toByteArray(); // two's complement, big-endian
      out.write(0x8a); // LONG1
      out.write(be.length);
      for (int i = be.length - 1; i >= 0; i--) {
        out.write(be[i]);
      }
    }
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
