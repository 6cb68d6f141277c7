package org.dd4j.interop;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Map;
import org.dd4j.models.InputShape;
import org.dd4j.synthetic.SyntheticSet;

/**
 * Reads the authors' distilled sets: {@code images_best.pt} (NCHW float32 in the data's
 * preprocessed space, ZCA or normalized, as MTT's and DATM's distill.py store them),
 * {@code labels_best.pt} (int64 hard labels, or DATM's float label logits [n, C]) and the
 * learned step size (DATM's {@code lr_best.pt}, a 0-d tensor; MTT saves none, so it is given
 * as a number). Also reads the one-file {@code set.pt} that {@code dd4j export --format pt}
 * writes (a dict with images, labels, label_logits, syn_lr).
 *
 * <p>dd4j's sets are class-major (ipc images of class 0, then of class 1, ...), as the
 * authors' {@code label_syn} is; a file in another order is refused.
 */
public final class TorchSets {

  private TorchSets() {}

  /**
   * @param images {@code images_best.pt}, or dd4j's one-file {@code set.pt}
   * @param labels {@code labels_best.pt}; null for a one-file set
   * @param synLr syn_lr, or null to take it from {@code lrFile} (or the one-file set)
   * @param lrFile DATM's {@code lr_best.pt}, or null
   * @return the set, images [n, H, W, C] NHWC float32
   * @throws TorchFormatException if a file is unsafe, corrupt, or its tensors do not make a
   *     set (shapes, dtypes, order), or syn_lr is missing
   */
  public static SyntheticSet read(Path images, Path labels, Double synLr, Path lrFile) {
    checkNotNull(images, "images");
    try (TorchFile img = TorchFile.open(images)) {
      if (img.root() instanceof Map<?, ?> m && m.containsKey("images")) {
        Object lr = synLr != null ? synLr : m.get("syn_lr");
        return build(images, tensor(m.get("images"), images, "images"),
            tensor(m.containsKey("label_logits") ? m.get("label_logits") : m.get("labels"),
                images, "labels"), lr instanceof TorchTensor t ? scalar(t, images)
                : lr instanceof Number n ? n.doubleValue() : null);
      }
      if (labels == null) {
        throw new TorchFormatException(images, "holds a tensor, not dd4j's one-file set",
            "give the labels too (--labels labels_best.pt)");
      }
      try (TorchFile lab = TorchFile.open(labels)) {
        Double lr = synLr;
        if (lr == null && lrFile != null) {
          try (TorchFile l = TorchFile.open(lrFile)) {
            lr = scalar(tensor(l.root(), lrFile, "syn_lr"), lrFile);
          }
        }
        return build(images, tensor(img.root(), images, "images"),
            tensor(lab.root(), labels, "labels"), lr);
      }
    }
  }

  private static SyntheticSet build(Path file, TorchTensor images, TorchTensor labels,
      Double synLr) {
    long[] s = images.shape();
    if (s.length != 4 || images.dtype() == TorchDtype.INT64) {
      throw new TorchFormatException(file, "images are " + images + ", expected float"
          + " [n, channels, height, width] (NCHW)", "pass images_best.pt");
    }
    int n = (int) s[0];
    int c = (int) s[1];
    int h = (int) s[2];
    int w = (int) s[3];
    long[] ls = labels.shape();
    int classes;
    int[] hard;
    float[] logits = null;
    if (labels.dtype() == TorchDtype.INT64 && ls.length == 1 && ls[0] == n) {
      long[] v = labels.toLongs();
      hard = new int[n];
      long max = -1;
      for (int i = 0; i < n; i++) {
        if (v[i] < 0) {
          throw new TorchFormatException(file, "label " + i + " is " + v[i], "labels are"
              + " class indices >= 0");
        }
        hard[i] = (int) v[i];
        max = Math.max(max, v[i]);
      }
      classes = (int) max + 1;
    } else if (labels.dtype() != TorchDtype.INT64 && ls.length == 2 && ls[0] == n) {
      classes = (int) ls[1];
      logits = labels.toFloats();
      hard = null;
    } else {
      throw new TorchFormatException(file, "labels are " + labels + " for " + n
          + " images, expected int64 [" + n + "] or float label logits [" + n + ", classes]",
          "pass labels_best.pt");
    }
    if (classes < 2 || n % classes != 0) {
      throw new TorchFormatException(file, n + " images do not divide into " + classes
          + " classes", "pass a set with the same number of images per class");
    }
    if (synLr == null) {
      throw new TorchFormatException(file, "has no syn_lr", "give it: --syn-lr 0.01 (MTT's"
          + " distill.py does not save it) or --lr lr_best.pt (DATM)");
    }
    int ipc = n / classes;
    int[] labelsOut = hard != null ? hard : SyntheticSet.classMajorLabels(classes, ipc);
    try {
      return new SyntheticSet(nchwToNhwc(images.toFloats(), n, c, h, w), labelsOut,
          new InputShape(h, w, c), classes, ipc, synLr, logits);
    } catch (IllegalArgumentException e) {
      throw new TorchFormatException(file, "does not make a set: " + e.getMessage(),
          "dd4j's sets are class-major (ipc images of class 0, then class 1, ...), as"
              + " distill.py's label_syn", e);
    }
  }

  private static TorchTensor tensor(Object o, Path file, String what) {
    if (o instanceof TorchTensor t) {
      return t;
    }
    throw new TorchFormatException(file, what + " must be a tensor, the file holds a "
        + (o == null ? "None" : o instanceof Object[] ? "tuple" : o.getClass().getSimpleName()),
        "pass the file distill.py saved");
  }

  private static double scalar(TorchTensor t, Path file) {
    if (t.numel() != 1 || t.dtype() == TorchDtype.INT64) {
      throw new TorchFormatException(file, "syn_lr is " + t + ", expected one float",
          "pass lr_best.pt");
    }
    return t.toDoubles()[0];
  }

  /** [n, c, h, w] to [n, h, w, c]. */
  public static float[] nchwToNhwc(float[] v, int n, int c, int h, int w) {
    float[] r = new float[v.length];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            r[((i * h + y) * w + x) * c + ch] = v[((i * c + ch) * h + y) * w + x];
          }
        }
      }
    }
    return r;
  }

  /** [n, h, w, c] to [n, c, h, w]. */
  public static float[] nhwcToNchw(float[] v, int n, int h, int w, int c) {
    float[] r = new float[v.length];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            r[((i * c + ch) * h + y) * w + x] = v[((i * h + y) * w + x) * c + ch];
          }
        }
      }
    }
    return r;
  }
}
