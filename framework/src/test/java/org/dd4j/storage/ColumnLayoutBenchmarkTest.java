package org.dd4j.storage;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind the column layout (docs/trajectory-format.md): ConvNet-3 on
 * 32x32x3, 10 classes (320,010 float32 parameters in 8 tensors), 51 snapshots, written as
 * (a) one FixedSizeList&lt;float32&gt;(P) column or (b) one FixedSizeList column per tensor.
 * Prints write time, file size and random-access read time of one snapshot.
 *
 * <p>Off by default (it writes ~130 MB); run with
 * {@code mvn -B -o -q -pl framework -am test -Dtest=ColumnLayoutBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddd4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "dd4j.benchmark", matches = "true")
class ColumnLayoutBenchmarkTest {

  /** ConvNet-3, width 128, 32x32x3 input, 10 classes: conv kernels, biases, norm affine, dense. */
  private static final int[] TENSOR_SIZES = {
      3 * 3 * 3 * 128, 128, 128, 128,
      3 * 3 * 128 * 128, 128, 128, 128,
      3 * 3 * 128 * 128, 128, 128, 128,
      2048 * 10, 10};
  private static final int SNAPSHOTS = 51;
  private static final int READS = 200;

  @TempDir Path dir;

  @Test
  void compareLayouts() throws IOException {
    int total = 0;
    for (int s : TENSOR_SIZES) {
      total += s;
    }
    System.out.printf("P = %d params, %d snapshots, %d tensors%n", total, SNAPSHOTS,
        TENSOR_SIZES.length);
    float[][] snaps = new float[SNAPSHOTS][total];
    Random rnd = new Random(0);
    for (float[] s : snaps) {
      for (int i = 0; i < total; i++) {
        s[i] = (float) rnd.nextGaussian();
      }
    }
    for (int round = 0; round < 3; round++) { // round 0 is JIT warm-up
      for (boolean perTensor : new boolean[] {false, true}) {
        int[] sizes = perTensor ? TENSOR_SIZES : new int[] {total};
        Path file = dir.resolve((perTensor ? "b" : "a") + round + ".arrow");
        long t0 = System.nanoTime();
        write(file, sizes, snaps);
        long writeNs = System.nanoTime() - t0;
        long bytes = Files.size(file);
        double readMs = randomReads(file, sizes, total, snaps);
        System.out.printf("round %d layout %s: write %.0f ms, file %.2f MB (%.4f x raw),"
                + " random snapshot read %.3f ms (mean of %d, open excluded)%n",
            round, perTensor ? "(b) per-tensor" : "(a) single  ", writeNs / 1e6, bytes / 1e6,
            bytes / (4.0 * total * SNAPSHOTS), readMs, READS);
        Files.delete(file);
      }
    }
  }

  private static Schema schema(int[] sizes) {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("epoch", FieldType.notNullable(new ArrowType.Int(32, true)), null));
    for (int k = 0; k < sizes.length; k++) {
      Field item = new Field("item",
          FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
      fields.add(new Field(sizes.length == 1 ? "params" : "t" + k,
          FieldType.notNullable(new ArrowType.FixedSizeList(sizes[k])), List.of(item)));
    }
    return new Schema(fields);
  }

  private static void write(Path file, int[] sizes, float[][] snaps) throws IOException {
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema(sizes), alloc);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      root.getFieldVectors().forEach(v -> v.setInitialCapacity(1));
      w.start();
      for (int t = 0; t < snaps.length; t++) {
        root.allocateNew();
        ((IntVector) root.getVector(0)).set(0, t);
        int off = 0;
        for (int k = 0; k < sizes.length; k++) {
          FixedSizeListVector list = (FixedSizeListVector) root.getVector(k + 1);
          list.setNotNull(0);
          Float4Vector data = (Float4Vector) list.getDataVector();
          for (int i = 0; i < sizes[k]; i++) {
            data.set(i, snaps[t][off + i]);
          }
          off += sizes[k];
        }
        root.setRowCount(1);
        w.writeBatch();
      }
      w.end();
      ch.force(true);
    }
  }

  private static double randomReads(Path file, int[] sizes, int total, float[][] snaps)
      throws IOException {
    Random rnd = new Random(1);
    float[] into = new float[total];
    try (BufferAllocator alloc = new RootAllocator();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
      List<ArrowBlock> blocks = r.getRecordBlocks();
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      long t0 = System.nanoTime();
      for (int n = 0; n < READS; n++) {
        int t = rnd.nextInt(blocks.size());
        r.loadRecordBatch(blocks.get(t));
        int off = 0;
        for (int k = 0; k < sizes.length; k++) {
          Float4Vector data =
              (Float4Vector) ((FixedSizeListVector) root.getVector(k + 1)).getDataVector();
          data.getDataBuffer().nioBuffer(0, sizes[k] * 4).order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer().get(into, off, sizes[k]);
          off += sizes[k];
        }
        if (into[total - 1] != snaps[t][total - 1] || into[0] != snaps[t][0]) {
          throw new AssertionError("read back the wrong snapshot");
        }
      }
      return (System.nanoTime() - t0) / 1e6 / READS;
    }
  }
}
