package org.dd4j.buffer;

/**
 * One expert epoch's figures.
 *
 * @param expert expert index
 * @param epoch 1-based epoch just finished (snapshot {@code epoch} in the trajectory)
 * @param lr learning rate used in this epoch
 * @param trainLoss mean training objective over the epoch's images (the cross-entropy for MTT;
 *     lambda_e * CE + mu * GP for AST), at the parameters before each step
 * @param trainAccuracy fraction of training images classified right while training
 * @param testAccuracy fraction of the test set classified right after the epoch
 * @param seconds wall-clock seconds of the epoch's training steps
 * @param imagesPerSecond training throughput of the epoch
 */
public record EpochResult(int expert, int epoch, double lr, double trainLoss,
    double trainAccuracy, double testAccuracy, double seconds, double imagesPerSecond) {}
