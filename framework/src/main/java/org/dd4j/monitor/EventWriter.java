package org.dd4j.monitor;

import static com.google.common.base.Preconditions.checkArgument;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.CloseSummaryWriter;
import org.tensorflow.op.summary.CreateSummaryFileWriter;
import org.tensorflow.op.summary.FlushSummaryWriter;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.op.summary.WriteHistogramSummary;
import org.tensorflow.op.summary.WriteImageSummary;
import org.tensorflow.op.summary.WriteScalarSummary;
import org.tensorflow.op.summary.WriteSummary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * One TensorBoard event file, written by TensorFlow's own summary kernels
 * ({@code CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code WriteImageSummary},
 * {@code WriteHistogramSummary}, {@code WriteSummary}, {@code FlushSummaryWriter}) run in a
 * small graph of their own, so the files are exactly what {@code tf.summary} writes and
 * TensorBoard reads.
 *
 * <p>Each writer opens a new file {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>.dd4j}
 * in its directory (one per process start: a resumed run adds a file rather than appending
 * to a file a killed process may have left mid-record). Records go to TensorFlow's queue and
 * reach the file on {@link #flush()} (the listeners call it after every iteration, epoch,
 * evaluation and checkpoint), when 100 are queued, or on {@link #close()}. Every record is
 * framed and checksummed (TFRecord), so a killed process leaves a file whose records up to
 * the last flush are readable ({@link EventFiles}).
 *
 * <p>Not thread-safe: one writer per phase (or per expert), used by one thread.
 */
public final class EventWriter implements AutoCloseable {

  /** The suffix of dd4j's event files, after TensorFlow's own name. */
  public static final String SUFFIX = ".dd4j";
  /** Records queued before the writer flushes by itself. */
  static final int MAX_QUEUE = 100;
  /** TensorFlow's writer also flushes on a write when this much time has passed. */
  static final int FLUSH_MILLIS = 10_000;

  private final Path dir;
  private final Graph graph;
  private final Session session;
  private final SummaryWriter writer;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Placeholder<TUint8> image;
  private final Placeholder<TUint8> badColor;
  private final Placeholder<TString> text;
  private final Placeholder<TString> metadata;
  private final WriteScalarSummary writeScalar;
  private final WriteHistogramSummary writeHistogram;
  private final WriteImageSummary writeImage;
  private final WriteSummary writeTensor;
  private final FlushSummaryWriter flushOp;
  private final CloseSummaryWriter closeOp;
  private boolean closed;

  /**
   * Opens a new event file in {@code dir} (created if missing).
   *
   * @throws UncheckedIOException if the directory cannot be created
   */
  public EventWriter(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Scope s = tf.scope();
      writer = SummaryWriter.create(s);
      var create = CreateSummaryFileWriter.create(s, writer,
          tf.constant(dir.toAbsolutePath().toString()), tf.constant(MAX_QUEUE),
          tf.constant(FLUSH_MILLIS), tf.constant(SUFFIX));
      step = tf.placeholder(TInt64.class);
      tag = tf.placeholder(TString.class);
      value = tf.placeholder(TFloat32.class);
      image = tf.placeholder(TUint8.class);
      badColor = tf.placeholder(TUint8.class);
      text = tf.placeholder(TString.class);
      metadata = tf.placeholder(TString.class);
      writeScalar = WriteScalarSummary.create(s, writer, step, tag, value);
      writeHistogram = WriteHistogramSummary.create(s, writer, step, tag, value);
      writeImage = WriteImageSummary.create(s, writer, step, tag, image, badColor,
          WriteImageSummary.maxImages(1L));
      writeTensor = WriteSummary.create(s, writer, step, text, tag, metadata);
      flushOp = FlushSummaryWriter.create(s, writer);
      closeOp = CloseSummaryWriter.create(s, writer);
      session = new Session(graph);
      session.runner().addTarget(create).run();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The directory this writer's file is in. */
  public Path dir() {
    return dir;
  }

  /** A scalar (TensorBoard's Scalars tab). */
  public void scalar(String tag, long step, double value) {
    try (TInt64 st = TInt64.scalarOf(step); TString t = TString.scalarOf(tag);
        TFloat32 v = TFloat32.scalarOf((float) value)) {
      session.runner().feed(this.step, st).feed(this.tag, t).feed(this.value, v)
          .addTarget(writeScalar).run();
    }
  }

  /** A histogram of {@code values} (TensorBoard's Histograms and Distributions tabs). */
  public void histogram(String tag, long step, float[] values) {
    checkArgument(values.length > 0, "histogram %s needs values", tag);
    try (TInt64 st = TInt64.scalarOf(step); TString t = TString.scalarOf(tag);
        TFloat32 v = TFloat32.vectorOf(values)) {
      session.runner().feed(this.step, st).feed(this.tag, t).feed(this.value, v)
          .addTarget(writeHistogram).run();
    }
  }

  /**
   * An image (TensorBoard's Images tab), PNG-encoded by the kernel; TensorFlow names it
   * {@code tag + "/image"}.
   *
   * @param picture a grey (1 band) or RGB (3 bands) image, e.g. {@code ImageGrid.render}
   */
  public void image(String tag, long step, BufferedImage picture) {
    var raster = picture.getRaster(); // samples, as ImageGrid wrote them: no colour conversion
    int channels = raster.getNumBands();
    checkArgument(channels == 1 || channels == 3, "image %s needs 1 or 3 bands, got %s", tag,
        channels);
    int w = picture.getWidth();
    int h = picture.getHeight();
    byte[] bytes = new byte[h * w * channels]; // [1, H, W, C]
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int b = 0; b < channels; b++) {
          bytes[i++] = (byte) raster.getSample(x, y, b);
        }
      }
    }
    try (TInt64 st = TInt64.scalarOf(step); TString t = TString.scalarOf(tag);
        TUint8 im = TUint8.tensorOf(Shape.of(1, h, w, channels),
            DataBuffers.of(bytes, true, false));
        TUint8 bad = TUint8.tensorOf(NdArrays.vectorOf(new byte[channels]))) {
      session.runner().feed(this.step, st).feed(this.tag, t).feed(image, im)
          .feed(badColor, bad).addTarget(writeImage).run();
    }
  }

  /**
   * A string tensor with a plugin's metadata: the text plugin's Markdown, or the hparams
   * plugin's data ({@link HParams}).
   *
   * @param content the string tensor's value (UTF-8 bytes)
   * @param plugin the plugin's name and content in the summary's metadata
   */
  public void tensor(String tag, long step, byte[] content,
      SummaryMetadata.PluginData plugin) {
    byte[] meta = SummaryMetadata.newBuilder().setPluginData(plugin).build().toByteArray();
    try (TInt64 st = TInt64.scalarOf(step); TString t = TString.scalarOf(tag);
        TString c = TString.tensorOfBytes(NdArrays.scalarOfObject(content));
        TString m = TString.tensorOfBytes(NdArrays.scalarOfObject(meta))) {
      session.runner().feed(this.step, st).feed(this.tag, t).feed(text, c)
          .feed(metadata, m).addTarget(writeTensor).run();
    }
  }

  /** Markdown for TensorBoard's Text tab (the text plugin, TextPluginData version 0). */
  public void text(String tag, long step, String markdown) {
    tensor(tag, step, markdown.getBytes(StandardCharsets.UTF_8),
        SummaryMetadata.PluginData.newBuilder().setPluginName(TEXT_PLUGIN).build());
  }

  /** The text plugin's name in a summary's metadata. */
  public static final String TEXT_PLUGIN = "text";

  /** Writes the queued records to the file. */
  public void flush() {
    session.runner().addTarget(flushOp).run();
  }

  /** Flushes and closes the file, then the graph. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.runner().addTarget(closeOp).run();
    } finally {
      session.close();
      graph.close();
    }
  }
}
