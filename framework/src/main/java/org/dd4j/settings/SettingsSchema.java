package org.dd4j.settings;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The settings of one phase ("distill", "buffer", "evaluate"), in declaration order: the
 * single list from which that phase's command-line options, DSL properties, {@code --set}
 * keys, config.json section and checkpoint check are derived.
 */
public final class SettingsSchema {

  private final String phase;
  private final List<Setting<?>> settings = new ArrayList<>();

  /** @param phase the phase's name as {@code --set PHASE.key} spells it */
  public SettingsSchema(String phase) {
    this.phase = checkNotNull(phase, "phase");
  }

  /**
   * Adds a setting (at class initialization of its owner).
   *
   * @throws IllegalArgumentException if a setting of that name or alias exists
   */
  public synchronized <T> Setting<T> add(Setting<T> s) {
    for (Setting<?> e : settings) {
      checkArgument(!e.isNamed(s.name()) && s.aliases().stream().noneMatch(e::isNamed),
          "%s already has a setting named %s", phase, s.name());
    }
    settings.add(s);
    return s;
  }

  public String phase() {
    return phase;
  }

  /** Every setting, in declaration order. */
  public List<Setting<?>> settings() {
    return Collections.unmodifiableList(settings);
  }

  /** The setting {@code key} names (snake_case, kebab-case, camelCase or alias). */
  public Optional<Setting<?>> find(String key) {
    return settings.stream().filter(s -> s.isNamed(key)).findFirst();
  }

  /**
   * @throws IllegalArgumentException for an unknown key, listing the known ones
   */
  public Setting<?> get(String key) {
    return find(key).orElseThrow(() -> new IllegalArgumentException(String.format(
        "no such setting; %s has %s", phase, settings.stream().map(s -> s.name().equals(
            s.camelName()) ? s.name() : s.name() + " (" + s.camelName() + ")").toList())));
  }
}
