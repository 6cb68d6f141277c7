package org.dd4j.storage;

import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Names and schema of the trajectory file format, version {@value #FORMAT_VERSION}
 * (docs/trajectory-format.md): one Arrow IPC file per expert, one record batch of one row
 * per snapshot, columns {@code epoch} (int32) and {@code params}
 * (FixedSizeList&lt;float32&gt;(P), the flat parameter vector in {@link
 * org.dd4j.models.ParamLayout} order).
 */
public final class TrajectoryFormat {

  /** The format version this code writes and the only one it reads. */
  public static final String FORMAT_VERSION = "1";

  public static final String EPOCH_COLUMN = "epoch";
  public static final String PARAMS_COLUMN = "params";

  /** Schema metadata keys (all values are strings; structured ones are JSON). */
  public static final String KEY_FORMAT_VERSION = "dd4j.format_version";
  public static final String KEY_MODEL = "dd4j.model";
  public static final String KEY_PARAMS = "dd4j.params";
  public static final String KEY_DATASET = "dd4j.dataset";
  public static final String KEY_PREPROCESSING = "dd4j.preprocessing";
  public static final String KEY_OPTIMIZER = "dd4j.optimizer";
  public static final String KEY_REGULARIZERS = "dd4j.regularizers";
  public static final String KEY_SEED = "dd4j.seed";
  public static final String KEY_EXPERT_INDEX = "dd4j.expert_index";
  public static final String KEY_VERSION = "dd4j.version";

  /**
   * File-footer metadata key: the epochs of all snapshots as a JSON list, written at commit so
   * that a reader need not load every batch to list them. The {@code epoch} column is
   * authoritative; a file without this key is still valid.
   */
  public static final String FOOTER_KEY_EPOCHS = "dd4j.epochs";

  private TrajectoryFormat() {}

  /** The Arrow schema of a trajectory with these metadata, custom metadata included. */
  static Schema schema(TrajectoryMetadata metadata) {
    return schema(metadata.paramCount(), metadata.toSchemaMetadata());
  }

  static Schema schema(int paramCount, Map<String, String> customMetadata) {
    Field epoch =
        new Field(EPOCH_COLUMN, FieldType.notNullable(new ArrowType.Int(32, true)), null);
    Field item = new Field("item",
        FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Field params = new Field(PARAMS_COLUMN,
        FieldType.notNullable(new ArrowType.FixedSizeList(paramCount)), List.of(item));
    return new Schema(List.of(epoch, params), customMetadata);
  }
}
