package org.dd4j.monitor;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.StructProto;
import com.google.protobuf.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.SummaryMetadata;

/**
 * TensorBoard's hparams plugin data for one run (a "session" in its HParams view): the
 * {@code SessionStartInfo} with the run's settings, inside an {@code HParamsPluginData}, as
 * the content of a summary's plugin metadata under the tag {@value #SESSION_START_TAG}.
 * Without an {@code Experiment} summary TensorBoard builds the experiment from the sessions
 * it finds, so every run of a sweep appears as a row of the HParams table on its own.
 *
 * <p>These messages are not in TensorFlow Java. Rather than adding protoc to the build for
 * two messages, their descriptors are built here, field numbers copied from TensorBoard's
 * {@code tensorboard/plugins/hparams/plugin_data.proto} (version 0), and the messages are
 * {@link DynamicMessage}s of protobuf-java (which TensorFlow Java already brings); a
 * setting's value is a {@code google.protobuf.Value} (protobuf-java's own class).
 */
public final class HParams {

  /** The tag of the session start summary, as TensorBoard's hparams plugin expects it. */
  public static final String SESSION_START_TAG = "_hparams_/session_start_info";
  /** The plugin's name in a summary's metadata. */
  public static final String PLUGIN = "hparams";
  /** HParamsPluginData.version TensorBoard reads. */
  static final int VERSION = 0;

  private static final Descriptor PLUGIN_DATA;
  private static final Descriptor SESSION_START;
  private static final Descriptor HPARAMS_ENTRY;

  static {
    // message SessionStartInfo { map<string, google.protobuf.Value> hparams = 1;
    //   string model_uri = 2; string monitor_url = 3; string group_name = 4;
    //   double start_time_secs = 5; }
    DescriptorProto entry = DescriptorProto.newBuilder().setName("HparamsEntry")
        .addField(field("key", 1, Type.TYPE_STRING, null))
        .addField(field("value", 2, Type.TYPE_MESSAGE, ".google.protobuf.Value"))
        .setOptions(MessageOptions.newBuilder().setMapEntry(true)).build();
    DescriptorProto start = DescriptorProto.newBuilder().setName("SessionStartInfo")
        .addNestedType(entry)
        .addField(field("hparams", 1, Type.TYPE_MESSAGE,
            ".tensorboard.hparams.SessionStartInfo.HparamsEntry").toBuilder()
            .setLabel(Label.LABEL_REPEATED))
        .addField(field("model_uri", 2, Type.TYPE_STRING, null))
        .addField(field("monitor_url", 3, Type.TYPE_STRING, null))
        .addField(field("group_name", 4, Type.TYPE_STRING, null))
        .addField(field("start_time_secs", 5, Type.TYPE_DOUBLE, null)).build();
    // message HParamsPluginData { int32 version = 1; oneof data { Experiment experiment = 2;
    //   SessionStartInfo session_start_info = 3; SessionEndInfo session_end_info = 4; } }
    DescriptorProto data = DescriptorProto.newBuilder().setName("HParamsPluginData")
        .addField(field("version", 1, Type.TYPE_INT32, null))
        .addField(field("session_start_info", 3, Type.TYPE_MESSAGE,
            ".tensorboard.hparams.SessionStartInfo")).build();
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("tensorboard/plugins/hparams/plugin_data.proto")
        .setPackage("tensorboard.hparams").setSyntax("proto3")
        .addDependency("google/protobuf/struct.proto")
        .addMessageType(data).addMessageType(start).build();
    try {
      Descriptors.FileDescriptor fd = Descriptors.FileDescriptor.buildFrom(file,
          new Descriptors.FileDescriptor[] {StructProto.getDescriptor()});
      PLUGIN_DATA = fd.findMessageTypeByName("HParamsPluginData");
      SESSION_START = fd.findMessageTypeByName("SessionStartInfo");
      HPARAMS_ENTRY = SESSION_START.findNestedTypeByName("HparamsEntry");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private HParams() {}

  private static FieldDescriptorProto field(String name, int number, Type type,
      String typeName) {
    FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name)
        .setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL);
    if (typeName != null) {
      f.setTypeName(typeName);
    }
    return f.build();
  }

  /**
   * The plugin data of a session start: the serialized {@code HParamsPluginData}.
   *
   * @param hparams the run's settings, flat keys ("distill.lr_img") to numbers, booleans or
   *     strings (anything else is written as its string)
   * @param startSeconds when the run started, seconds since the epoch
   */
  public static SummaryMetadata.PluginData sessionStart(Map<String, Object> hparams,
      double startSeconds) {
    DynamicMessage.Builder start = DynamicMessage.newBuilder(SESSION_START);
    FieldDescriptor map = SESSION_START.findFieldByName("hparams");
    for (Map.Entry<String, Object> e : hparams.entrySet()) {
      start.addRepeatedField(map, DynamicMessage.newBuilder(HPARAMS_ENTRY)
          .setField(HPARAMS_ENTRY.findFieldByName("key"), e.getKey())
          .setField(HPARAMS_ENTRY.findFieldByName("value"), value(e.getValue())).build());
    }
    start.setField(SESSION_START.findFieldByName("start_time_secs"), startSeconds);
    Message data = DynamicMessage.newBuilder(PLUGIN_DATA)
        .setField(PLUGIN_DATA.findFieldByName("version"), VERSION)
        .setField(PLUGIN_DATA.findFieldByName("session_start_info"), start.build()).build();
    return SummaryMetadata.PluginData.newBuilder().setPluginName(PLUGIN)
        .setContent(data.toByteString()).build();
  }

  private static Value value(Object v) {
    if (v instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (v instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    return Value.newBuilder().setStringValue(String.valueOf(v)).build();
  }

  /**
   * The settings of a session start's plugin data, as written: numbers as Double, booleans,
   * strings.
   *
   * @throws IllegalArgumentException if {@code content} is no HParamsPluginData with a session
   *     start
   */
  public static Map<String, Object> readSessionStart(byte[] content) {
    DynamicMessage data;
    try {
      data = DynamicMessage.parseFrom(PLUGIN_DATA, content);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not HParamsPluginData: " + e.getMessage(), e);
    }
    FieldDescriptor startField = PLUGIN_DATA.findFieldByName("session_start_info");
    if (!data.hasField(startField)) {
      throw new IllegalArgumentException("HParamsPluginData without a session_start_info");
    }
    DynamicMessage start = (DynamicMessage) data.getField(startField);
    Map<String, Object> out = new LinkedHashMap<>();
    FieldDescriptor map = SESSION_START.findFieldByName("hparams");
    for (int i = 0; i < start.getRepeatedFieldCount(map); i++) {
      Message entry = (Message) start.getRepeatedField(map, i);
      String key = (String) entry.getField(HPARAMS_ENTRY.findFieldByName("key"));
      Message raw = (Message) entry.getField(HPARAMS_ENTRY.findFieldByName("value"));
      Value v;
      try {
        v = Value.parseFrom(raw.toByteString());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("hparam " + key + ": " + e.getMessage(), e);
      }
      out.put(key, switch (v.getKindCase()) {
        case NUMBER_VALUE -> v.getNumberValue();
        case BOOL_VALUE -> v.getBoolValue();
        default -> v.getStringValue();
      });
    }
    return out;
  }
}
