package org.dd4j.augment;

/**
 * Plain-Java DSA ops on NHWC double arrays, written from DSA's PyTorch code
 * ({@code rand_brightness}, ..., {@code rand_rotate}) and PyTorch's {@code affine_grid} +
 * {@code grid_sample} (bilinear, zeros padding) rather than from {@link DsaParams}' folded
 * form, so that tests compare two independent derivations.
 */
final class DsaReference {

  private final int b;
  private final int h;
  private final int w;
  private final int c;

  DsaReference(int b, int h, int w, int c) {
    this.b = b;
    this.h = h;
    this.w = w;
    this.c = c;
  }

  private int at(int n, int i, int j, int k) {
    return ((n * h + i) * w + j) * c + k;
  }

  double[] brightness(double[] x, double[] shift) {
    double[] y = x.clone();
    for (int p = 0; p < y.length; p++) {
      y[p] += shift[p / (h * w * c)];
    }
    return y;
  }

  double[] saturation(double[] x, double[] factor) {
    double[] y = new double[x.length];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          double m = 0;
          for (int k = 0; k < c; k++) {
            m += x[at(n, i, j, k)];
          }
          m /= c;
          for (int k = 0; k < c; k++) {
            y[at(n, i, j, k)] = (x[at(n, i, j, k)] - m) * factor[n] + m;
          }
        }
      }
    }
    return y;
  }

  double[] contrast(double[] x, double[] factor) {
    double[] y = new double[x.length];
    int per = h * w * c;
    for (int n = 0; n < b; n++) {
      double m = 0;
      for (int p = 0; p < per; p++) {
        m += x[n * per + p];
      }
      m /= per;
      for (int p = 0; p < per; p++) {
        y[n * per + p] = (x[n * per + p] - m) * factor[n] + m;
      }
    }
    return y;
  }

  /** DSA's rand_crop: a 1-pixel zero pad, indices shifted and clamped into the pad. */
  double[] crop(double[] x, int[] dy, int[] dx) {
    double[] y = new double[x.length];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          int pi = Math.min(Math.max(i + dy[n] + 1, 0), h + 1);
          int pj = Math.min(Math.max(j + dx[n] + 1, 0), w + 1);
          boolean pad = pi == 0 || pi == h + 1 || pj == 0 || pj == w + 1;
          for (int k = 0; k < c; k++) {
            y[at(n, i, j, k)] = pad ? 0 : x[at(n, pi - 1, pj - 1, k)];
          }
        }
      }
    }
    return y;
  }

  /** DSA's rand_cutout: offsets are the centres; grid rows clamped into the image. */
  double[] cutout(double[] x, int[] centreRow, int[] centreCol, int sizeY, int sizeX) {
    double[] y = x.clone();
    for (int n = 0; n < b; n++) {
      for (int gi = 0; gi < sizeY; gi++) {
        for (int gj = 0; gj < sizeX; gj++) {
          int i = Math.min(Math.max(gi + centreRow[n] - sizeY / 2, 0), h - 1);
          int j = Math.min(Math.max(gj + centreCol[n] - sizeX / 2, 0), w - 1);
          for (int k = 0; k < c; k++) {
            y[at(n, i, j, k)] = 0;
          }
        }
      }
    }
    return y;
  }

  double[] flip(double[] x, boolean[] flip) {
    double[] y = new double[x.length];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          for (int k = 0; k < c; k++) {
            y[at(n, i, j, k)] = x[at(n, i, flip[n] ? w - 1 - j : j, k)];
          }
        }
      }
    }
    return y;
  }

  /** affine_grid(theta) then grid_sample, per sample theta[n] = 2 x 3 row-major. */
  double[] gridSample(double[] x, double[][] theta, boolean alignCorners) {
    double[] y = new double[x.length];
    for (int n = 0; n < b; n++) {
      double[] t = theta[n];
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          double gx = alignCorners ? -1 + 2.0 * j / (w - 1) : (2.0 * j + 1) / w - 1;
          double gy = alignCorners ? -1 + 2.0 * i / (h - 1) : (2.0 * i + 1) / h - 1;
          double nx = t[0] * gx + t[1] * gy + t[2];
          double ny = t[3] * gx + t[4] * gy + t[5];
          double ix = alignCorners ? (nx + 1) / 2 * (w - 1) : ((nx + 1) * w - 1) / 2;
          double iy = alignCorners ? (ny + 1) / 2 * (h - 1) : ((ny + 1) * h - 1) / 2;
          int x0 = (int) Math.floor(ix);
          int y0 = (int) Math.floor(iy);
          double fx = ix - x0;
          double fy = iy - y0;
          for (int k = 0; k < c; k++) {
            double v = 0;
            for (int ddy = 0; ddy <= 1; ddy++) {
              for (int ddx = 0; ddx <= 1; ddx++) {
                int yy = y0 + ddy;
                int xx = x0 + ddx;
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                  v += (ddx == 1 ? fx : 1 - fx) * (ddy == 1 ? fy : 1 - fy)
                      * x[at(n, yy, xx, k)];
                }
              }
            }
            y[at(n, i, j, k)] = v;
          }
        }
      }
    }
    return y;
  }

  static double[][] scaleTheta(double[] sx, double[] sy) {
    double[][] t = new double[sx.length][];
    for (int n = 0; n < sx.length; n++) {
      t[n] = new double[] {sx[n], 0, 0, 0, sy[n], 0};
    }
    return t;
  }

  static double[][] rotateTheta(double[] degrees) {
    double[][] t = new double[degrees.length][];
    for (int n = 0; n < degrees.length; n++) {
      double a = degrees[n] / 180 * Math.PI;
      t[n] = new double[] {Math.cos(a), Math.sin(-a), 0, Math.sin(a), Math.cos(a), 0};
    }
    return t;
  }
}
