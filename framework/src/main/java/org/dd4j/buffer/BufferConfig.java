package org.dd4j.buffer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import org.dd4j.engine.Seeds;
import org.dd4j.models.ModelSpec;
import org.dd4j.train.Training;

/**
 * What the buffer phase trains: {@code experts} networks of {@code model} on
 * {@code dataset}, each for {@code training.epochs()} epochs (spec section 4).
 *
 * @param model the expert architecture
 * @param dataset registered dataset name (for metadata)
 * @param preprocessing description of the preprocessing already applied to the data
 * @param training optimizer and schedule of each expert
 * @param experts E, the number of experts (MTT: 100)
 * @param seed run seed; expert i is seeded from (seed, i), see {@link #expertSeed(int)}
 */
public record BufferConfig(ModelSpec model, String dataset, Map<String, Object> preprocessing,
    Training training, int experts, long seed) {

  public BufferConfig {
    checkNotNull(model, "model");
    checkNotNull(dataset, "dataset");
    checkNotNull(training, "training");
    // in its given order in every JVM (Map.copyOf's order is salted per JVM; this map is
    // written into every expert file)
    preprocessing = ImmutableMap.copyOf(preprocessing);
    checkArgument(experts > 0, "experts must be > 0, got %s", experts);
  }

  /** Seed of expert i: {@link Seeds#mix} of (seed, i), so experts are independent. */
  public long expertSeed(int i) {
    return Seeds.mix(seed, i);
  }
}
