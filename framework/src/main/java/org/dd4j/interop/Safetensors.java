package org.dd4j.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file (huggingface/safetensors format): an 8-byte little-endian header
 * length N, N bytes of JSON (per tensor its dtype, shape and byte range in the data;
 * {@code "__metadata__"}: string to string), padded with spaces to a multiple of 8, then the
 * tensors' little-endian bytes in C order. Read with {@code safetensors.numpy.load_file} or
 * {@code safetensors.torch.load_file}.
 */
final class Safetensors {

  private final Map<String, TorchTensor> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  Safetensors put(String name, TorchTensor t) {
    tensors.put(name, t);
    return this;
  }

  Safetensors metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  void writeTo(OutputStream out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode m = header.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    List<byte[]> data = new ArrayList<>();
    long offset = 0;
    for (var e : tensors.entrySet()) {
      byte[] b = e.getValue().toBytes();
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype().safetensorsName());
      var shape = t.putArray("shape");
      for (long s : e.getValue().shape()) {
        shape.add(s);
      }
      t.putArray("data_offsets").add(offset).add(offset + b.length);
      offset += b.length;
      data.add(b);
    }
    byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int pad = (8 - h.length % 8) % 8;
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length + pad).array());
    out.write(h);
    out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
    for (byte[] b : data) {
      out.write(b);
    }
  }
}
