package org.dd4j.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.dd4j.storage.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line and bar charts drawn with XChart and saved as PNG, for the run reports.
 *
 * <p>Drawing needs no display: loading this class sets {@code java.awt.headless=true} unless
 * the property was already given (it must be decided before AWT starts, so the {@code dd4j}
 * launcher and the tests also pass {@code -Djava.awt.headless=true}).
 */
public final class Charts {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** PNG width in pixels. */
  public static final int WIDTH = 800;

  /** PNG height in pixels. */
  public static final int HEIGHT = 480;

  /** Above this many series a line chart has no legend (it would cover the plot). */
  public static final int MAX_LEGEND_ENTRIES = 12;

  /** How the y axis maps values. */
  public enum YScale {
    LINEAR,
    /** Base-10 logarithmic; every y value must be > 0. */
    LOG
  }

  /**
   * One line of a line chart.
   *
   * @param name legend label
   * @param x abscissae, same length as {@code y}, at least one point
   * @param y ordinates; non-finite values are not allowed (leave such points out)
   * @param markers whether each point gets a marker (for sparse series)
   */
  public record Series(String name, double[] x, double[] y, Markers markers) {

    public Series {
      checkNotNull(name, "name");
      checkNotNull(x, "x");
      checkNotNull(y, "y");
      checkNotNull(markers, "markers");
      checkArgument(x.length == y.length, "series %s: %s x values but %s y values", name,
          x.length, y.length);
      checkArgument(x.length > 0, "series %s has no points", name);
      for (int i = 0; i < x.length; i++) {
        checkArgument(Double.isFinite(x[i]) && Double.isFinite(y[i]),
            "series %s point %s is not finite: (%s, %s)", name, i, x[i], y[i]);
      }
      x = x.clone();
      y = y.clone();
    }
  }

  /** Whether the points of a {@link Series} are marked. */
  public enum Markers {
    NONE,
    CIRCLES
  }

  private Charts() {}

  /**
   * A line chart of {@code series} on shared axes.
   *
   * @param title chart title
   * @param xLabel x axis title, with its unit (e.g. "iteration", "epoch")
   * @param yLabel y axis title, with its unit (e.g. "test accuracy (%)")
   * @param yScale linear or logarithmic y axis
   * @param series at least one line
   * @return a {@value #WIDTH} x {@value #HEIGHT} image
   * @throws IllegalArgumentException if there is no series, or {@code yScale} is LOG and a y
   *     value is &lt;= 0
   */
  public static BufferedImage lines(String title, String xLabel, String yLabel, YScale yScale,
      List<Series> series) {
    checkNotNull(yScale, "yScale");
    checkArgument(series != null && !series.isEmpty(), "chart %s needs at least one series",
        title);
    int decades = yScale == YScale.LINEAR ? extraDecades(series) : 0;
    if (decades > 0) {
      double f = Math.pow(10, decades);
      series = series.stream().map(s -> new Series(s.name(), s.x(),
          Arrays.stream(s.y()).map(v -> v * f).toArray(), s.markers())).toList();
      yLabel = yLabel + " (x 1e-" + decades + ")";
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(series.size() > 1
        && series.size() <= MAX_LEGEND_ENTRIES);
    chart.getStyler().setXAxisDecimalPattern("#,##0.###");
    double[] ys = series.stream().flatMapToDouble(s -> Arrays.stream(s.y())).toArray();
    chart.getStyler().setYAxisDecimalPattern(decimalPattern(ys));
    if (yScale == YScale.LOG) {
      for (Series s : series) {
        for (double v : s.y()) {
          checkArgument(v > 0, "chart %s: log scale needs y > 0, series %s has %s", title,
              s.name(), v);
        }
      }
      chart.getStyler().setYAxisLogarithmic(true);
    } else {
      // The axis ends on round numbers, so both ends carry a labelled tick.
      double[] bounds = niceBounds(ys);
      chart.getStyler().setYAxisMin(bounds[0]);
      chart.getStyler().setYAxisMax(bounds[1]);
    }
    for (Series s : series) {
      XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
      xy.setMarker(s.markers() == Markers.CIRCLES ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  /**
   * A bar chart, one bar per category.
   *
   * @param title chart title
   * @param xLabel category axis title
   * @param yLabel value axis title, with its unit
   * @param categories bar labels, e.g. "0", "1", ... for experts
   * @param values bar heights, finite, one per category
   * @return a {@value #WIDTH} x {@value #HEIGHT} image
   */
  public static BufferedImage bars(String title, String xLabel, String yLabel,
      List<String> categories, List<Double> values) {
    checkArgument(categories != null && values != null && categories.size() == values.size(),
        "chart %s: categories and values must have the same size", title);
    checkArgument(!categories.isEmpty(), "chart %s needs at least one bar", title);
    for (double v : values) {
      checkArgument(Double.isFinite(v), "chart %s: bar value %s is not finite", title, v);
    }
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisDecimalPattern(decimalPattern(values.stream()
        .mapToDouble(Double::doubleValue).toArray()));
    chart.addSeries(yLabel, categories, values);
    return BitmapEncoder.getBufferedImage(chart);
  }

  /**
   * Saves {@code image} as a PNG at {@code png}, atomically (temporary file, rename).
   *
   * @throws UncheckedIOException if it cannot be written
   */
  public static void writePng(Path png, BufferedImage image) {
    checkNotNull(png, "png");
    checkNotNull(image, "image");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IOException("no PNG writer available in javax.imageio");
      }
      AtomicFiles.write(png, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chart " + png, e);
    }
  }

  /**
   * A tick label pattern for values like {@code v}: scientific below 1e-3 or from 1e6 in
   * magnitude, else up to 4 decimals. (XChart's default pattern prints every digit of small
   * values and crowds the axis.)
   */
  static String decimalPattern(double[] v) {
    double max = 0;
    for (double x : v) {
      max = Math.max(max, Math.abs(x));
    }
    return max > 0 && (max < 1e-3 || max >= 1e6) ? "0.##E0" : "#,##0.####";
  }

  /**
   * How many powers of ten to scale y by so that XChart draws regular ticks. XChart 3.8
   * takes a series whose consecutive differences all agree within an absolute 1e-4 for
   * equally spaced data and then puts a tick at (almost) every value: a smooth syn_lr curve
   * near 0.01 got 40 crowded labels. Scaling y up until no series of three or more points
   * looks like that avoids it; the axis title then says "(x 1e-k)".
   *
   * @return 0 if no scaling is needed (or none helps), else k in 1..12
   */
  static int extraDecades(List<Series> series) {
    for (int k = 0; k <= 12; k++) {
      double f = Math.pow(10, k);
      if (series.stream().noneMatch(s -> looksEquallySpaced(s.y(), f))) {
        return k;
      }
    }
    return 0;
  }

  private static boolean looksEquallySpaced(double[] y, double factor) {
    if (y.length < 3) {
      return false;
    }
    double first = (y[1] - y[0]) * factor;
    boolean constant = true;
    for (int i = 1; i + 1 < y.length; i++) {
      double d = (y[i + 1] - y[i]) * factor;
      constant &= d == 0 && first == 0;
      if (Math.abs(d - first) >= XCHART_SPACING_TOLERANCE) {
        return false;
      }
    }
    return !constant; // scaling cannot change a constant series
  }

  /** The absolute tolerance of XChart's equal-spacing test (see {@link #extraDecades}). */
  private static final double XCHART_SPACING_TOLERANCE = 1e-4;

  /**
   * Axis bounds on multiples of a round step (1, 2 or 5 x 10^k) that enclose {@code v}, with
   * about 4 to 10 steps between them; a constant series gets a range around its value.
   *
   * @param v finite values, at least one
   * @return {min, max} with min &lt; max
   */
  static double[] niceBounds(double[] v) {
    double lo = Arrays.stream(v).min().orElseThrow();
    double hi = Arrays.stream(v).max().orElseThrow();
    double range = hi - lo;
    if (!(range > 1e-12 * Math.max(Math.abs(lo), Math.abs(hi)))) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= pad;
      hi += pad;
      range = hi - lo;
    }
    double step = Math.pow(10, Math.floor(Math.log10(range / 5)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (range / (step * m) <= 8) {
        step *= m;
        break;
      }
    }
    return new double[] {Math.floor(lo / step) * step, Math.ceil(hi / step) * step};
  }

  private static void style(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE); // never hides a line
    s.setAntiAlias(true);
  }
}
