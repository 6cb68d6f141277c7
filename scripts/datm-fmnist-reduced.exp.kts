// DATM's pieces on Fashion-MNIST at a budget for 2 CPU cores (about 15 minutes; the full
// CIFAR-10 settings are in datm-cifar10.exp.kts): 3 FTD experts x 5 epochs of a width-32
// ConvNet-3, ipc 10, N 10, M 2, correct-only images with soft labels from the experts
// (lr_y 2, momentum 0.9), the window growing from 2 to 4 by iteration 75, loss threshold 1.0,
// 150 iterations, 3 evaluation networks x 100 epochs (soft labels; evaluate.hard_labels for
// the argmax).
//
//   ./dd4j run scripts/datm-fmnist-reduced.exp.kts
//   ./dd4j run scripts/datm-fmnist-reduced.exp.kts --set distill.label_init=hard \
//       --set distill.image_init=real --set distill.current_max_start_epoch=0 \
//       --set distill.loss_threshold=0                     # the MTT row at the same budget

experiment("datm-fmnist-reduced") {
    dataset = fashionMnist()
    model = convNet(depth = 3, width = 32)

    buffer {
        experts = 3
        epochs = 5
        preset = expertPreset("ftd-paper")
    }

    distill {
        ipc = 10
        iterations = 150
        synSteps = 10
        expertEpochs = 2
        maxStartEpoch = 4
        currentMaxStartEpoch = 2
        expansionEnd = 75
        lrImg = 1000.0
        lrLr = 1e-5
        lrTeacher = 0.01
        batchSyn = 100
        imageInit = correctOnly()
        labelInit = "correct-experts"
        lrY = 2.0
        lossThreshold = 1.0
        saveEvery = 50
    }

    evaluate {
        runs = 3
        epochs = 100
        batchTrain = 128
    }
}
