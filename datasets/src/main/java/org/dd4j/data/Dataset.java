package org.dd4j.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;

/**
 * A labelled image dataset split into train and test.
 *
 * @param name registered name it was loaded under (e.g. "fashion-mnist", "cifar10-jpeg")
 * @param train training split, NHWC float32
 * @param test test split, same image shape as {@code train}
 * @param classNames class names indexed by label
 */
public record Dataset(String name, ImageSet train, ImageSet test, List<String> classNames) {

  public Dataset {
    checkNotNull(name, "name");
    checkNotNull(train, "train");
    checkNotNull(test, "test");
    classNames = List.copyOf(classNames);
    checkArgument(train.height() == test.height() && train.width() == test.width()
            && train.channels() == test.channels(),
        "train images are %sx%sx%s but test images are %sx%sx%s",
        train.height(), train.width(), train.channels(),
        test.height(), test.width(), test.channels());
  }

  public int numClasses() {
    return classNames.size();
  }
}
