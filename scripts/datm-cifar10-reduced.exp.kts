// DATM on CIFAR-10 (JPEG q75, ZCA), ipc 10, at a budget for 2 CPU cores: the distillation and
// evaluation settings of the DATM row of docs/results.md ("MTT, soft labels and DATM"; that
// row ran from the command line, docs/runs/datm-cifar10.sh, on the issue-15 comparison's FTD
// buffer, trained with the "ftd" preset; this script trains DATM's own "ftd-paper" experts).
// 2 experts x 5 epochs on all 50,000 images, ConvNet-3 width 32, N 10, M 2, the window
// growing from 2 to 4 by iteration 30, 60 iterations, 3 evaluation networks x 150 epochs on
// the soft labels: 10 minutes in all with --threads 2 on the 2-core machine (7 of them the
// experts), distilled 35.37 +- 0.75 % (the CLI row: 35.39 +- 0.60 %). The full settings are
// in datm-cifar10.exp.kts.
//
//   ./dd4j run scripts/datm-cifar10-reduced.exp.kts --threads 2
//   ./dd4j run scripts/datm-cifar10-reduced.exp.kts --set evaluate.hard_labels=true  # argmax
//   ./dd4j run scripts/datm-cifar10-reduced.exp.kts --set distill.label_init=hard \
//       --set distill.image_init=real --set distill.current_max_start_epoch=0 \
//       --set distill.loss_threshold=0                               # the MTT row

experiment("datm-cifar10-reduced") {
    dataset = cifar10Jpeg(zca = true)
    model = convNet(depth = 3, width = 32)
    method = method("datm") // ftd-paper experts, correct-only images, soft labels, threshold

    buffer {
        experts = 2
        epochs = 5
    }

    distill {
        ipc = 10
        iterations = 60
        synSteps = 10
        expertEpochs = 2
        maxStartEpoch = 4
        currentMaxStartEpoch = 2
        expansionEnd = 30
        lrImg = 1000.0
        lrLr = 1e-5
        saveEvery = 20
    }

    evaluate {
        runs = 3
        epochs = 150
    }
}
