package org.dd4j.cli;

import java.util.Map;

/** The CLI's access to {@link org.dd4j.storage.ConfigJson} (snake_case run configuration). */
final class ConfigJson {

  private ConfigJson() {}

  static Map<String, Object> plain(Map<String, Object> config) {
    return org.dd4j.storage.ConfigJson.plain(config);
  }

  static String text(Map<String, Object> config) {
    return org.dd4j.storage.ConfigJson.text(config);
  }
}
