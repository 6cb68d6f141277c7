package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRegistryTest {

  @TempDir Path dir;

  static Dataset tiny(String name) {
    ImageSet set = new ImageSet(new float[] {0.5f}, new int[] {0}, 1, 1, 1);
    return new Dataset(name, set, set, List.of("only"));
  }

  DatasetRegistry builtins(Map<String, String> env) {
    Function<String, String> lookup = env::get;
    return DatasetRegistry.withBuiltins(lookup, dir);
  }

  @Test
  void userRegisteredLoaderGetsTheArgument() {
    Dataset data = tiny("mine");
    DatasetRegistry registry = DatasetRegistry.empty()
        .register("mine", arg -> arg.equals("a:b") ? data : tiny("wrong"));
    assertSame(data, registry.load("mine:a:b"));
    assertThrows(IllegalArgumentException.class, () -> registry.register("mine", a -> data));
    assertThrows(IllegalArgumentException.class, () -> registry.register("x:y", a -> data));
  }

  @Test
  void builtinsAreRegisteredAndUnknownNameListsThem() {
    DatasetRegistry registry = builtins(Map.of());
    assertEquals(Set.of("fashion-mnist", "mnist", "cifar10", "cifar100", "image-folder",
        "cifar10-jpeg"), registry.names());
    DatasetException e = assertThrows(DatasetException.class, () -> registry.load("svhn"));
    assertTrue(e.getMessage().contains("svhn") && e.getMessage().contains("fashion-mnist")
        && e.getMessage().contains("cifar10-jpeg"), e.getMessage());
  }

  @Test
  void missingFashionMnistSaysHowToInstall() {
    DatasetRegistry registry =
        builtins(Map.of("DD4J_FASHION_MNIST", dir.resolve("none").toString()));
    DatasetException e = assertThrows(DatasetException.class,
        () -> registry.load("fashion-mnist"));
    assertTrue(e.getMessage().contains("sudo apt-get install -y dataset-fashion-mnist")
        && e.getMessage().contains("DD4J_FASHION_MNIST"), e.getMessage());
  }

  @Test
  void mnistAndCifarWithoutDirectorySayWhichVariableToSet() {
    DatasetRegistry registry = builtins(Map.of());
    for (String[] pair : new String[][] {{"mnist", "DD4J_MNIST"}, {"cifar10", "DD4J_CIFAR10"},
        {"cifar100", "DD4J_CIFAR100"}}) {
      DatasetException e = assertThrows(DatasetException.class, () -> registry.load(pair[0]));
      assertTrue(e.getMessage().contains(pair[1]), e.getMessage());
    }
    DatasetException e = assertThrows(DatasetException.class, () -> registry.load("image-folder"));
    assertTrue(e.getMessage().contains("image-folder:<"), e.getMessage());
  }

  @Test
  void cifar10BinaryDirectoryFromEnvironment() throws Exception {
    for (int b = 1; b <= 5; b++) {
      CifarBinaryReaderTest.writeRecords(dir.resolve("data_batch_" + b + ".bin"), b, 1, 1);
    }
    CifarBinaryReaderTest.writeRecords(dir.resolve("test_batch.bin"), 0, 2, 1);
    Dataset data = builtins(Map.of("DD4J_CIFAR10", dir.toString())).load("cifar10");
    assertEquals(5, data.train().count());
    assertEquals(2, data.test().count());
  }

  @Test
  void cifar10JpegIsFoundUnderAParentDirectory() {
    Path work = dir.resolve("project/sub");
    DatasetRegistry registry = DatasetRegistry.withBuiltins(Map.<String, String>of()::get, work);
    DatasetException e = assertThrows(DatasetException.class, () -> registry.load("cifar10-jpeg"));
    assertTrue(e.getMessage().contains("DD4J_CIFAR10_JPEG")
        && e.getMessage().contains(dir.resolve("project/shared/data").toString()),
        e.getMessage());
  }

  @Test
  void imageFolderLoadsThroughTheRegistryWithCache() throws Exception {
    Path root = dir.resolve("set");
    ImageFolderReaderTest.png(root.resolve("train/a/1.png"), ImageFolderReaderTest.rgb(1));
    ImageFolderReaderTest.png(root.resolve("test/a/2.png"), ImageFolderReaderTest.rgb(2));
    Dataset data = builtins(Map.of("DD4J_CACHE", dir.resolve("cache").toString()))
        .load("image-folder:" + root);
    assertEquals("image-folder:" + root, data.name());
    assertEquals(List.of("a"), data.classNames());
  }
}
