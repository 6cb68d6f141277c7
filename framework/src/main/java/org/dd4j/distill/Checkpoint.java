package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.dd4j.models.InputShape;
import org.dd4j.settings.Setting;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.synthetic.SyntheticSet;

/**
 * One file holding a {@link DistillState} and the configuration it was produced with, so
 * that a killed or diverged run resumes from it. Written atomically (temporary file, fsync,
 * rename: {@link AtomicFiles}), so a kill during a save leaves the previous checkpoint whole.
 *
 * <p>There is no separate RNG state: iteration i draws everything from a generator seeded by
 * (seed, i) (see {@link Distiller}), so the stored next iteration and the configuration's
 * seed are the RNG state.
 *
 * <p>Format, version 3, all numbers little-endian:
 * <pre>
 *   8 bytes   magic "DD4JCKPT"
 *   int32     format version (3; versions 1, without EMA, and 2, without soft labels,
 *             are still read)
 *   int32     header length L in bytes
 *   L bytes   UTF-8 JSON header: next_iteration, consecutive_failures, syn_lr, the set's
 *             height, width, channels, num_classes, ipc, image_values (V = C * ipc * H * W *
 *             C_img), both optimizers' step counts, ema_values (E = V with an image EMA,
 *             else 0; version 2), ema_steps, label_values (Y = C * ipc * C with soft
 *             labels, else 0; version 3), label_optimizer_steps, and "config": every
 *             DistillConfig field in
 *             snake_case ({@link DistillConfig#toMap()})
 *   V float32 images, [C * ipc, H, W, C_img] row-major
 *   V float32 the images' SGD momentum buffer, same layout
 *   1 float32 syn_lr's SGD momentum buffer
 *   E float32 the images' EMA (FTD), same layout as the images (version 2)
 *   Y float32 the label logits (DATM), [C * ipc, C] row-major (version 3)
 *   Y float32 the label logits' SGD momentum buffer, same layout (version 3)
 *   int32     CRC32C of every byte before it
 * </pre>
 *
 * <p>Resuming checks the stored configuration against the one being resumed: every setting
 * must be equal except {@code iterations} (a run may be extended), {@code lr_img} and
 * {@code lr_lr} (lowering them is the remedy after a divergence) and
 * {@code max_consecutive_failures}; those change the continuation but not the meaning of the
 * stored state. A setting that a checkpoint predates (the AST and FTD options: matching_loss,
 * inner_loss, start_perturbation, inner_momentum, ema_decay) counts as its default (plain
 * MTT), so older checkpoints of MTT runs resume.
 */
public final class Checkpoint {

  /** The checkpoint's usual name in a run directory. */
  public static final String FILE_NAME = "checkpoint.bin";

  static final int VERSION = 3;
  private static final int OLDEST_VERSION = 1;
  private static final byte[] MAGIC = "DD4JCKPT".getBytes(StandardCharsets.US_ASCII);
  private static final int PREFIX = MAGIC.length + 8; // magic, version, header length
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Checkpoint() {}

  /**
   * Writes {@code state} to {@code file} atomically, replacing an existing checkpoint.
   *
   * @param config the configuration of the run, stored for {@link #load}'s check
   * @throws UncheckedIOException if the file cannot be written (the old one, if any, is then
   *     intact)
   * @throws IllegalArgumentException if the state is too large for one file (over 2 GiB)
   */
  public static void save(Path file, DistillState state, DistillConfig config) {
    checkNotNull(file, "file");
    checkNotNull(state, "state");
    checkNotNull(config, "config");
    SyntheticSet set = state.set();
    float[] images = set.images();
    byte[] header = headerJson(state, config).getBytes(StandardCharsets.UTF_8);
    float[] ema = state.imageEma().map(ImageEma.State::images).orElse(new float[0]);
    float[] labels = set.hasSoftLabels() ? set.labelLogits() : new float[0];
    float[] labelMomentum = state.labelOptimizer().map(SgdMomentum.State::buffer)
        .orElse(new float[0]);
    long size = PREFIX + (long) header.length
        + 4L * (2L * images.length + 1 + ema.length + 2L * labels.length) + 4;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a checkpoint of " + images.length
          + " image values needs " + size + " bytes, more than one file of this format holds");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).putInt(VERSION).putInt(header.length).put(header);
    putFloats(buf, images);
    putFloats(buf, state.imageOptimizer().buffer());
    putFloats(buf, state.lrOptimizer().buffer());
    putFloats(buf, ema);
    putFloats(buf, labels);
    putFloats(buf, labelMomentum);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    try {
      AtomicFiles.write(file, buf.array());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + file, e);
    }
  }

  /**
   * Reads the checkpoint in {@code file} for resuming a run of {@code config}.
   *
   * @throws CheckpointException if the file is not a checkpoint of this format, is truncated
   *     or corrupt, or was written with settings that differ from {@code config} (naming each)
   * @throws UncheckedIOException if it cannot be read
   */
  public static DistillState load(Path file, DistillConfig config) {
    checkNotNull(file, "file");
    checkNotNull(config, "config");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file, e);
    }
    return decode(file, bytes, config);
  }

  /** {@link #load} if {@code file} exists, else empty (a run that starts afresh). */
  public static Optional<DistillState> loadIfPresent(Path file, DistillConfig config) {
    return Files.exists(file) ? Optional.of(load(file, config)) : Optional.empty();
  }

  private static DistillState decode(Path file, byte[] bytes, DistillConfig config) {
    if (bytes.length < PREFIX || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0,
        MAGIC.length)) {
      throw new CheckpointException(file + " is not a dd4j distillation checkpoint (no "
          + "DD4JCKPT magic at its start)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(MAGIC.length);
    int version = buf.getInt();
    if (version < OLDEST_VERSION || version > VERSION) {
      throw new CheckpointException(file + " has checkpoint format version " + version
          + ", this dd4j reads versions " + OLDEST_VERSION + " to " + VERSION);
    }
    int headerLength = buf.getInt();
    if (headerLength < 0 || headerLength > bytes.length - PREFIX) {
      throw truncated(file, bytes.length, "its header of " + headerLength + " bytes");
    }
    JsonNode h;
    try {
      h = MAPPER.readTree(new String(bytes, PREFIX, headerLength, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file + " has a corrupt header: " + e.getOriginalMessage());
    }
    long values = integer(file, h, "image_values");
    long emaValues = version >= 2 ? integer(file, h, "ema_values") : 0;
    if (emaValues != 0 && emaValues != values) {
      throw new CheckpointException(file + " has an image EMA of " + emaValues + " values for "
          + values + " image values");
    }
    long labelValues = version >= 3 ? integer(file, h, "label_values") : 0;
    long expected = PREFIX + (long) headerLength
        + 4 * (2 * values + 1 + emaValues + 2 * labelValues) + 4;
    if (bytes.length != expected) {
      throw bytes.length < expected
          ? truncated(file, bytes.length, expected + " bytes (" + values + " image values)")
          : new CheckpointException(file + " has " + bytes.length + " bytes, "
              + (bytes.length - expected) + " more than its header describes");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN)
        .getInt();
    if (stored != (int) crc.getValue()) {
      throw new CheckpointException(file + " is corrupt: its CRC32C does not match its "
          + "contents");
    }
    checkConfig(file, h.path("config"), config);
    buf.position(PREFIX + headerLength);
    float[] images = getFloats(buf, (int) values);
    float[] imageMomentum = getFloats(buf, (int) values);
    float[] lrMomentum = getFloats(buf, 1);
    float[] ema = getFloats(buf, (int) emaValues);
    float[] labelLogits = getFloats(buf, (int) labelValues);
    float[] labelMomentum = getFloats(buf, (int) labelValues);
    if (config.softLabels() && labelValues == 0) {
      throw new CheckpointException(file + " holds no label logits, but label_init = "
          + config.get(DistillConfig.LABEL_INIT) + " needs them");
    }
    if (config.emaDecay() > 0 && emaValues == 0) {
      throw new CheckpointException(file + " holds no image EMA, but ema_decay = "
          + config.emaDecay() + " needs one");
    }
    try {
      InputShape shape = new InputShape(integer(file, h, "height"), integer(file, h, "width"),
          integer(file, h, "channels"));
      int numClasses = integer(file, h, "num_classes");
      int ipc = integer(file, h, "ipc");
      SyntheticSet set = new SyntheticSet(images, SyntheticSet.classMajorLabels(numClasses,
          ipc), shape, numClasses, ipc, number(file, h, "syn_lr"),
          labelValues == 0 ? null : labelLogits);
      return new DistillState(set,
          new SgdMomentum.State(imageMomentum, integer(file, h, "image_optimizer_steps")),
          new SgdMomentum.State(lrMomentum, integer(file, h, "lr_optimizer_steps")),
          integer(file, h, "next_iteration"), integer(file, h, "consecutive_failures"),
          emaValues == 0 ? Optional.empty()
              : Optional.of(new ImageEma.State(ema, integer(file, h, "ema_steps"))),
          labelValues == 0 ? Optional.empty() : Optional.of(new SgdMomentum.State(
              labelMomentum, integer(file, h, "label_optimizer_steps"))));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + " holds an invalid state: " + e.getMessage());
    }
  }

  /** The header; doubles are written by Jackson as Double.toString, which round-trips. */
  private static String headerJson(DistillState state, DistillConfig config) {
    SyntheticSet set = state.set();
    ObjectNode h = MAPPER.createObjectNode();
    h.put("next_iteration", state.nextIteration());
    h.put("consecutive_failures", state.consecutiveFailures());
    h.put("syn_lr", set.synLr());
    h.put("height", set.shape().height());
    h.put("width", set.shape().width());
    h.put("channels", set.shape().channels());
    h.put("num_classes", set.numClasses());
    h.put("ipc", set.ipc());
    h.put("image_values", set.images().length);
    h.put("image_optimizer_steps", state.imageOptimizer().steps());
    h.put("lr_optimizer_steps", state.lrOptimizer().steps());
    h.put("ema_values", state.imageEma().map(ImageEma.State::size).orElse(0));
    h.put("ema_steps", state.imageEma().map(ImageEma.State::steps).orElse(0L));
    h.put("label_values", state.labelOptimizer().map(SgdMomentum.State::size).orElse(0));
    h.put("label_optimizer_steps", state.labelOptimizer().map(SgdMomentum.State::steps)
        .orElse(0L));
    h.set("config", configJson(config));
    try {
      return MAPPER.writeValueAsString(h);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of plain values always serializes
    }
  }

  /** Every field of {@code c}, snake_case, in declaration order. */
  static ObjectNode configJson(DistillConfig c) {
    return MAPPER.valueToTree(c.toMap());
  }

  /** Compares as text: a parsed 7 is an IntNode, a put long 7 a LongNode. */
  private static void checkConfig(Path file, JsonNode stored, DistillConfig config) {
    if (!stored.isObject()) {
      throw new CheckpointException(file + " has no \"config\" in its header");
    }
    // Derived from the descriptors: a setting a resumed run may change is not compared; one
    // missing from the checkpoint (added since, or stored under an older name) had its
    // default.
    List<String> diffs = new ArrayList<>();
    for (Setting<?> setting : DistillConfig.SCHEMA.settings()) {
      if (setting.mayChangeOnResume()) {
        continue;
      }
      JsonNode s = stored.get(setting.name());
      for (int i = 0; s == null && i < setting.aliases().size(); i++) {
        s = stored.get(setting.aliases().get(i));
      }
      String was = s != null ? text(s) : text(plainDefault(setting));
      String now = text(plainValue(config, setting));
      if (!was.equals(now)) {
        diffs.add(setting.name() + " = " + was + " in the checkpoint, " + now + " now");
      }
    }
    if (!diffs.isEmpty()) {
      throw new CheckpointException(file + " was written by a run with other settings: "
          + String.join("; ", diffs) + ". Resume with the checkpoint's settings, or start a"
          + " new run in another directory");
    }
  }

  private static <T> JsonNode plainValue(DistillConfig c, Setting<T> s) {
    return MAPPER.valueToTree(s.plain(c.get(s)));
  }

  private static <T> JsonNode plainDefault(Setting<T> s) {
    return MAPPER.valueToTree(s.plain(s.defaultValue()));
  }

  private static String text(JsonNode n) {
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static CheckpointException truncated(Path file, long size, String needed) {
    return new CheckpointException(file + " is truncated: " + size + " bytes, too short for "
        + needed + "; it was not written by an atomic save (copied or damaged?)");
  }

  private static int integer(Path file, JsonNode h, String name) {
    JsonNode v = h.get(name);
    if (v == null || !v.canConvertToInt()) {
      throw new CheckpointException(file + " header has no integer \"" + name + "\"");
    }
    return v.intValue();
  }

  private static double number(Path file, JsonNode h, String name) {
    JsonNode v = h.get(name);
    if (v == null || !v.isNumber()) {
      throw new CheckpointException(file + " header has no number \"" + name + "\"");
    }
    return v.doubleValue();
  }

  private static void putFloats(ByteBuffer buf, float[] a) {
    buf.asFloatBuffer().put(a);
    buf.position(buf.position() + 4 * a.length);
  }

  private static float[] getFloats(ByteBuffer buf, int count) {
    float[] a = new float[count];
    buf.asFloatBuffer().get(a);
    buf.position(buf.position() + 4 * count);
    return a;
  }
}
