package org.dd4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of a DSA strategy: ops applied in order, all to the same batch. DSA's groups
 * are {@code color} (brightness, then saturation, then contrast), {@code crop},
 * {@code cutout}, {@code flip}, {@code scale} and {@code rotate}; each single colour op is
 * also a group of its own name.
 *
 * @param name the strategy token, e.g. {@code "color"}
 * @param ops the ops, applied left to right; at most one of them spatial (crop, cutout,
 *     flip, scale, rotate)
 */
public record DsaGroup(String name, List<DsaOp> ops) {

  private static final Map<String, List<DsaOp>> NAMED = new LinkedHashMap<>();

  static {
    NAMED.put("color", List.of(DsaOp.BRIGHTNESS, DsaOp.SATURATION, DsaOp.CONTRAST));
    for (DsaOp op : DsaOp.values()) {
      NAMED.put(op.name().toLowerCase(Locale.ROOT), List.of(op));
    }
  }

  public DsaGroup {
    checkArgument(name != null && !name.isEmpty(), "group name must be non-empty");
    checkArgument(ops != null && !ops.isEmpty(), "group %s has no ops", name);
    ops = List.copyOf(ops);
    long spatial = ops.stream().filter(DsaGroup::isSpatial).count();
    checkArgument(spatial <= 1, "group %s has %s spatial ops; at most one is supported",
        name, spatial);
  }

  /**
   * The group a strategy token names.
   *
   * @throws IllegalArgumentException for an unknown token; the message lists the known ones
   */
  public static DsaGroup named(String token) {
    List<DsaOp> ops = NAMED.get(token);
    checkArgument(ops != null, "unknown DSA group '%s'; known: %s", token, NAMED.keySet());
    return new DsaGroup(token, ops);
  }

  /** The tokens {@link #named} knows. */
  public static List<String> knownNames() {
    return List.copyOf(NAMED.keySet());
  }

  static boolean isSpatial(DsaOp op) {
    return switch (op) {
      case BRIGHTNESS, SATURATION, CONTRAST -> false;
      case CROP, CUTOUT, FLIP, SCALE, ROTATE -> true;
    };
  }
}
