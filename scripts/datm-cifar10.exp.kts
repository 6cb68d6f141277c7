// DATM (Guo et al., ICLR 2024) on CIFAR-10, ipc 10, as its code and config produced its table
// (docs/methods.md, "DATM"): NUS-HPC-AI-Lab/DATM configs/CIFAR-10/ConvIN/IPC10.yaml run by
// distill/DATM.py, on FTD experts (README: buffer_FTD.py --train_epochs=100 --num_experts=100
// --zca --rho_max=0.01 --rho_min=0.01 --alpha=0.3 --lr_teacher=0.01 --mom=0. --batch_train=256,
// preset "ftd-paper"). DATM's three pieces: learnable soft labels initialised from the experts
// on correctly classified real images (label_init correct-experts, image_init correct-only,
// lr_y 2, Momentum_y 0.9), the matching window growing from 10 to 20 by iteration 1000
// (current_max_start_epoch 10, expansion_end 1000; DATM's cfg has Sequential_Generation True
// by default), and the loss threshold 1.0. The yaml's ema_decay 0.9995 is never read by
// DATM.py, so no EMA here. A GPU-sized job at these settings.
//
//   ./dd4j run scripts/datm-cifar10.exp.kts
//   ./dd4j run scripts/datm-cifar10.exp.kts --set distill.label_init=hard   # MTT-style labels
// For 2 CPU cores see datm-cifar10-reduced.exp.kts and datm-fmnist-reduced.exp.kts.

experiment("datm-cifar10-ipc10") {
    dataset = cifar10Jpeg(zca = true)
    model = convNet(depth = 3, width = 128)
    method = method("datm") // ftd-paper experts, correct-only images, soft labels, threshold

    buffer {
        experts = 100
        epochs = 100
    }

    distill {
        ipc = 10
        iterations = 10000
        synSteps = 80
        expertEpochs = 2
        minStartEpoch = 0
        maxStartEpoch = 20
        currentMaxStartEpoch = 10
        expansionEnd = 1000
        lrImg = 100.0
        lrLr = 1e-5
        batchSyn = 100
        // from method("datm"): lrTeacher = 0.01, imageInit = correctOnly(),
        // labelInit = "correct-experts", lrY = 2.0, labelMomentum = 0.9, lossThreshold = 1.0
        saveEvery = 500
    }

    evaluate {
        runs = 5
        epochs = 1000
        batchTrain = 128
    }
}
