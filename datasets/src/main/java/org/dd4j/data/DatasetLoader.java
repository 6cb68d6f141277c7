package org.dd4j.data;

/**
 * Loads one dataset by name; registered in a {@link DatasetRegistry}.
 */
@FunctionalInterface
public interface DatasetLoader {

  /**
   * @param argument the text after {@code "name:"} in the requested name (e.g. the path in
   *     {@code "image-folder:/data/pets"}), or "" when there is none
   * @return train and test splits, images [N, H, W, C] float32 in [0,1]
   * @throws DatasetException if the data is missing or malformed
   */
  Dataset load(String argument);
}
