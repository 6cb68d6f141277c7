package org.dd4j.data;

import java.util.stream.IntStream;

/**
 * Dense float32 matrix products for preprocessing, blocked for the cache and split over cores.
 *
 * <p>Inner loops read and write separate row arrays with one shared index ({@code c[j] += a0 *
 * b0[j] + ...}): on JDK 17 that is the form the JIT turns into SIMD code, while the same loop over
 * one flat array with per-row offsets runs about ten times slower.
 */
final class FloatMatrices {

  private static final int ROW_CHUNK = 32;
  private static final int COL_BLOCK = 512;
  private static final int INNER_BLOCK = 128;
  private static final int SAMPLE_CHUNK = 256;
  /** Samples summed in float before the partial covariance is added into doubles. */
  private static final int FLUSH_SAMPLES = 8192;

  private FloatMatrices() {}

  /** Rows of a row-major [rows, cols] matrix as separate arrays (copied). */
  static float[][] rows(float[] flat, int rows, int cols) {
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = new float[cols];
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }

  /**
   * {@code (a - shift) * b + offset}, where {@code shift} and {@code offset} (each null for
   * none) are row vectors subtracted from every row of {@code a} and added to every output row.
   *
   * @param a [rows, inner], row-major
   * @param b [inner][cols], as rows
   * @return [rows, cols], row-major
   */
  static float[] multiply(float[] a, int rows, int inner, float[] shift, float[][] b, int cols,
      float[] offset) {
    float[] out = new float[Math.multiplyExact(rows, cols)];
    int chunks = (rows + ROW_CHUNK - 1) / ROW_CHUNK;
    IntStream.range(0, chunks).parallel().forEach(chunk -> {
      int r0 = chunk * ROW_CHUNK;
      int count = Math.min(rows, r0 + ROW_CHUNK) - r0;
      float[][] aRows = rows(java.util.Arrays.copyOfRange(a, r0 * inner, (r0 + count) * inner),
          count, inner);
      float[][] cRows = new float[count][cols];
      for (int r = 0; r < count; r++) {
        if (shift != null) {
          for (int k = 0; k < inner; k++) {
            aRows[r][k] -= shift[k];
          }
        }
        if (offset != null) {
          System.arraycopy(offset, 0, cRows[r], 0, cols);
        }
      }
      for (int j0 = 0; j0 < cols; j0 += COL_BLOCK) {
        int j1 = Math.min(cols, j0 + COL_BLOCK);
        for (int k0 = 0; k0 < inner; k0 += INNER_BLOCK) {
          int k1 = Math.min(inner, k0 + INNER_BLOCK);
          for (int r = 0; r < count; r++) {
            accumulate(aRows[r], b, cRows[r], k0, k1, j0, j1);
          }
        }
      }
      for (int r = 0; r < count; r++) {
        System.arraycopy(cRows[r], 0, out, (r0 + r) * cols, cols);
      }
    });
    return out;
  }

  /** {@code c[j] += sum_{k in [k0,k1)} a[k] * b[k][j]} for j in [j0, j1). */
  private static void accumulate(float[] a, float[][] b, float[] c, int k0, int k1, int j0,
      int j1) {
    int k = k0;
    for (; k + 3 < k1; k += 4) {
      float a0 = a[k];
      float a1 = a[k + 1];
      float a2 = a[k + 2];
      float a3 = a[k + 3];
      float[] b0 = b[k];
      float[] b1 = b[k + 1];
      float[] b2 = b[k + 2];
      float[] b3 = b[k + 3];
      for (int j = j0; j < j1; j++) {
        c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
      }
    }
    for (; k < k1; k++) {
      float a0 = a[k];
      float[] b0 = b[k];
      for (int j = j0; j < j1; j++) {
        c[j] += a0 * b0[j];
      }
    }
  }

  /**
   * Sample covariance {@code (x - mean)^T (x - mean) / (rows - 1)}, summed in float over chunks
   * of samples and in double across chunks.
   *
   * @param x samples [rows, dim], row-major
   * @param mean [dim]
   * @return [dim, dim], row-major, symmetric
   */
  static double[] covariance(float[] x, int rows, int dim, double[] mean) {
    float[] meanF = new float[dim];
    for (int i = 0; i < dim; i++) {
      meanF[i] = (float) mean[i];
    }
    double[] total = new double[dim * dim];
    float[][] partial = new float[dim][dim];           // upper triangle used
    float[][] chunk = new float[SAMPLE_CHUNK][dim];    // [k][dim], centered samples
    float[][] chunkT = new float[dim][SAMPLE_CHUNK];   // [dim][k]
    int colBlocks = (dim + COL_BLOCK - 1) / COL_BLOCK;
    for (int s0 = 0; s0 < rows; s0 += SAMPLE_CHUNK) {
      int k = Math.min(SAMPLE_CHUNK, rows - s0);
      for (int s = 0; s < k; s++) {
        int from = (s0 + s) * dim;
        float[] row = chunk[s];
        for (int i = 0; i < dim; i++) {
          float v = x[from + i] - meanF[i];
          row[i] = v;
          chunkT[i][s] = v;
        }
      }
      // partial[i][j] += sum_s chunk[s][i] chunk[s][j] for j >= i, by column blocks; block
      // [j0, j1) needs rows i < j1, split in two halves to balance the triangle over threads.
      IntStream.range(0, colBlocks * 2).parallel().forEach(task -> {
        int j0 = task / 2 * COL_BLOCK;
        int j1 = Math.min(dim, j0 + COL_BLOCK);
        int half = j1 / 2;
        int i0 = task % 2 == 0 ? 0 : half;
        int i1 = task % 2 == 0 ? half : j1;
        for (int i = i0; i < i1; i++) {
          accumulate(chunkT[i], chunk, partial[i], 0, k, Math.max(j0, i), j1);
        }
      });
      boolean flush = (s0 / SAMPLE_CHUNK + 1) % (FLUSH_SAMPLES / SAMPLE_CHUNK) == 0
          || s0 + k >= rows;
      if (flush) {
        for (int i = 0; i < dim; i++) {
          for (int j = i; j < dim; j++) {
            total[i * dim + j] += partial[i][j];
          }
          java.util.Arrays.fill(partial[i], 0);
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
