package org.dd4j.settings;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values of a {@link SettingsSchema}'s settings: every setting not set has its default.
 * Immutable; {@link #toBuilder()} makes a changed copy. Values are checked when set.
 */
public final class Settings {

  private final SettingsSchema schema;
  private final Map<Setting<?>, Object> values;

  private Settings(SettingsSchema schema, Map<Setting<?>, Object> values) {
    this.schema = schema;
    this.values = Map.copyOf(values);
  }

  /** All defaults. */
  public static Settings defaults(SettingsSchema schema) {
    return new Settings(checkNotNull(schema, "schema"), Map.of());
  }

  public SettingsSchema schema() {
    return schema;
  }

  /** The value of {@code s}, or its default. */
  public <T> T get(Setting<T> s) {
    checkArgument(schema.settings().contains(s), "%s is not a %s setting", s, schema.phase());
    Object v = values.get(s);
    return v == null ? s.defaultValue() : s.type().javaType().cast(v);
  }

  /** Whether {@code s} was set explicitly (even to its default). */
  public boolean isSet(Setting<?> s) {
    return values.containsKey(s);
  }

  /** Every setting's value as plain JSON-ready data, by snake_case name, in schema order. */
  public Map<String, Object> toPlainMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Setting<?> s : schema.settings()) {
      m.put(s.name(), plain(s));
    }
    return m;
  }

  private <T> Object plain(Setting<T> s) {
    return s.plain(get(s));
  }

  public Builder toBuilder() {
    Builder b = new Builder(schema);
    b.values.putAll(values);
    return b;
  }

  public static Builder builder(SettingsSchema schema) {
    return new Builder(checkNotNull(schema, "schema"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Settings s && s.schema == schema && s.toPlainMap().equals(toPlainMap());
  }

  @Override
  public int hashCode() {
    return toPlainMap().hashCode();
  }

  @Override
  public String toString() {
    return schema.phase() + toPlainMap();
  }

  /** Collects values; each is checked against its setting's rule when set. */
  public static final class Builder {
    private final SettingsSchema schema;
    private final Map<Setting<?>, Object> values = new HashMap<>();

    private Builder(SettingsSchema schema) {
      this.schema = schema;
    }

    /**
     * @throws IllegalArgumentException if {@code s} is not of this schema or the value breaks
     *     its rule ("ipc must be > 0, got 0")
     */
    public <T> Builder set(Setting<T> s, T value) {
      checkArgument(schema.settings().contains(s), "%s is not a %s setting", s,
          schema.phase());
      values.put(s, s.validate(value));
      return this;
    }

    /**
     * Sets the setting {@code key} names from text, as {@code --set} and the command line do.
     *
     * @throws IllegalArgumentException for an unknown key or a value it cannot parse
     */
    public Builder parse(String key, String text) {
      Setting<?> s = schema.get(key);
      values.put(s, s.parse(text));
      return this;
    }

    /** Whether {@code s} was set (even to its default) on this builder. */
    public boolean isSet(Setting<?> s) {
      return values.containsKey(s);
    }

    /**
     * Whether the setting {@code key} names was set on this builder.
     *
     * @throws IllegalArgumentException for an unknown key
     */
    public boolean isSet(String key) {
      return values.containsKey(schema.get(key));
    }

    public <T> T get(Setting<T> s) {
      Object v = values.get(s);
      return v == null ? s.defaultValue() : s.type().javaType().cast(v);
    }

    public Settings build() {
      return new Settings(schema, values);
    }
  }
}
