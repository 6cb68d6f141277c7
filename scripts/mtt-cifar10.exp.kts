// MTT on CIFAR-10, ipc 10, with the paper's settings (Cazenavette et al. 2022, Table 6;
// spec section 5): ZCA, ConvNet-3 width 128, N = 30, M = 2, T+ = 20, lr_img 100, lr_lr 1e-5,
// lr_teacher 0.01, 5,000 iterations; evaluation 1,000 epochs x 5 networks. Published:
// 65.3 +- 0.7 %. This is a GPU-sized job (buffer: 100 experts x 50 epochs).
//
//   ./dd4j run scripts/mtt-cifar10.exp.kts                    # the paper's budget
//   ./dd4j run scripts/mtt-cifar10.exp.kts --set model.width=32 --set buffer.experts=2 \
//       --set buffer.epochs=8 --set distill.syn_steps=10 --set distill.max_start_epoch=6 \
//       --set distill.iterations=300 --set distill.lr_img=1000 --set evaluate.epochs=300
//                                                              # ~1 h on 2 CPU cores
// The CIFAR-10 here is the JPEG copy in ../shared/data (quality 75, not bit-exact);
// use cifar10() for the binary release (DD4J_CIFAR10).

experiment("mtt-cifar10-ipc10") {
    dataset = cifar10Jpeg(zca = true)
    model = convNet(depth = 3, width = 128)

    buffer {
        experts = 100
        epochs = 50
        optimizer = sgd(lr = 0.01)
        augment = dsa()
    }

    distill {
        ipc = 10
        iterations = 5000
        synSteps = 30
        expertEpochs = 2
        maxStartEpoch = 20
        lrImg = 100.0
        lrLr = 1e-5
        lrTeacher = 0.01
        augment = dsa()
        matchingLoss = normalizedParameterDistance()
        saveEvery = 500
        evalEvery = 1000
    }

    evaluate {
        runs = 5
        epochs = 1000
    }
}
