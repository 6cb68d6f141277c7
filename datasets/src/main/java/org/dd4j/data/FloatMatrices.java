package org.dd4j.data;

import java.util.stream.IntStream;

/**
 * Dense row-major float32 matrix products for preprocessing, blocked for the cache and run on
 * all cores. Inner loops are plain array loops the JIT turns into SIMD code.
 */
final class FloatMatrices {

  private static final int ROW_CHUNK = 32;
  private static final int COL_BLOCK = 512;
  private static final int INNER_BLOCK = 128;
  private static final int SAMPLE_CHUNK = 256;
  /** Samples summed in float before the partial covariance is added into doubles. */
  private static final int FLUSH_SAMPLES = 8192;

  private FloatMatrices() {}

  /**
   * {@code (a - shift) * b + offset}, where {@code shift} and {@code offset} (each null for
   * none) are row vectors subtracted from every row of {@code a} and added to every output row.
   *
   * @param a [rows, inner]
   * @param b [inner, cols]
   * @return [rows, cols]
   */
  static float[] multiply(float[] a, int rows, int inner, float[] shift, float[] b, int cols,
      float[] offset) {
    float[] c = new float[Math.multiplyExact(rows, cols)];
    int chunks = (rows + ROW_CHUNK - 1) / ROW_CHUNK;
    IntStream.range(0, chunks).parallel().forEach(chunk -> {
      int r0 = chunk * ROW_CHUNK;
      int r1 = Math.min(rows, r0 + ROW_CHUNK);
      float[] rowsOfA = new float[(r1 - r0) * inner];
      System.arraycopy(a, r0 * inner, rowsOfA, 0, rowsOfA.length);
      if (shift != null) {
        for (int i = 0; i < rowsOfA.length; i++) {
          rowsOfA[i] -= shift[i % inner];
        }
      }
      for (int j0 = 0; j0 < cols; j0 += COL_BLOCK) {
        int j1 = Math.min(cols, j0 + COL_BLOCK);
        for (int k0 = 0; k0 < inner; k0 += INNER_BLOCK) {
          int k1 = Math.min(inner, k0 + INNER_BLOCK);
          for (int r = 0; r < r1 - r0; r++) {
            accumulateRow(rowsOfA, r * inner, b, cols, c, (r0 + r) * cols, k0, k1, j0, j1);
          }
        }
      }
      if (offset != null) {
        for (int r = r0; r < r1; r++) {
          for (int j = 0; j < cols; j++) {
            c[r * cols + j] += offset[j];
          }
        }
      }
    });
    return c;
  }

  /**
   * {@code c[cRow + j] += sum_{k in [k0,k1)} a[aRow + k] * b[k * ldb + j]} for j in [j0, j1).
   */
  private static void accumulateRow(float[] a, int aRow, float[] b, int ldb, float[] c, int cRow,
      int k0, int k1, int j0, int j1) {
    int k = k0;
    for (; k + 3 < k1; k += 4) {
      float a0 = a[aRow + k];
      float a1 = a[aRow + k + 1];
      float a2 = a[aRow + k + 2];
      float a3 = a[aRow + k + 3];
      int b0 = k * ldb;
      int b1 = b0 + ldb;
      int b2 = b1 + ldb;
      int b3 = b2 + ldb;
      for (int j = j0; j < j1; j++) {
        c[cRow + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (; k < k1; k++) {
      float a0 = a[aRow + k];
      int b0 = k * ldb;
      for (int j = j0; j < j1; j++) {
        c[cRow + j] += a0 * b[b0 + j];
      }
    }
  }

  /**
   * Sample covariance {@code (x - mean)^T (x - mean) / (rows - 1)}, summed in float over chunks
   * of samples and in double across chunks.
   *
   * @param x samples [rows, dim]
   * @param mean [dim]
   * @return [dim, dim], symmetric
   */
  static double[] covariance(float[] x, int rows, int dim, double[] mean) {
    float[] meanF = new float[dim];
    for (int i = 0; i < dim; i++) {
      meanF[i] = (float) mean[i];
    }
    double[] total = new double[dim * dim];
    float[] partial = new float[dim * dim];
    float[] chunk = new float[SAMPLE_CHUNK * dim];       // [k, dim], centered samples
    float[] chunkT = new float[dim * SAMPLE_CHUNK];      // [dim, k]
    int colBlocks = (dim + COL_BLOCK - 1) / COL_BLOCK;
    for (int s0 = 0; s0 < rows; s0 += SAMPLE_CHUNK) {
      int k = Math.min(SAMPLE_CHUNK, rows - s0);
      for (int s = 0; s < k; s++) {
        int from = (s0 + s) * dim;
        for (int i = 0; i < dim; i++) {
          float v = x[from + i] - meanF[i];
          chunk[s * dim + i] = v;
          chunkT[i * k + s] = v;
        }
      }
      // Upper triangle by column blocks: block [j0, j1) needs rows i < j1. Blocks are split
      // in two halves to balance the triangle across threads.
      IntStream.range(0, colBlocks * 2).parallel().forEach(task -> {
        int block = task / 2;
        int j0 = block * COL_BLOCK;
        int j1 = Math.min(dim, j0 + COL_BLOCK);
        int half = j1 / 2;
        int i0 = task % 2 == 0 ? 0 : half;
        int i1 = task % 2 == 0 ? half : j1;
        for (int i = i0; i < i1; i++) {
          accumulateRow(chunkT, i * k, chunk, dim, partial, i * dim, 0, k, Math.max(j0, i), j1);
        }
      });
      boolean flush = (s0 / SAMPLE_CHUNK + 1) % (FLUSH_SAMPLES / SAMPLE_CHUNK) == 0
          || s0 + k >= rows;
      if (flush) {
        for (int i = 0; i < partial.length; i++) {
          total[i] += partial[i];
          partial[i] = 0;
        }
      }
    }
    double scale = 1.0 / (rows - 1);
    for (int i = 0; i < dim; i++) {
      for (int j = i; j < dim; j++) {
        double v = total[i * dim + j] * scale;
        total[i * dim + j] = v;
        total[j * dim + i] = v;
      }
    }
    return total;
  }
}
