// FTD (Du et al., CVPR 2023) on CIFAR-10, ipc 10, as its code and run scripts produced its
// tables (docs/methods.md): flat experts (preset "ftd": GSAM around SGD lr 0.01, rho 0.01,
// alpha 0.4; "ftd-paper" has alpha 0.3) and an EMA of the synthetic images (decay 0.9995,
// run_distill.sh), syn_lr starting at 0.001 (run_distill.sh --lr_teacher), on top of MTT's
// CIFAR-10 ipc 10 settings. A GPU-sized job at these settings.
//
//   ./dd4j run scripts/ftd-cifar10.exp.kts
//   ./dd4j run scripts/ftd-cifar10.exp.kts --set model.width=32 --set buffer.experts=2 \
//       --set buffer.epochs=8 --set distill.syn_steps=10 --set distill.max_start_epoch=6 \
//       --set distill.iterations=300 --set distill.lr_img=1000 --set evaluate.epochs=300
//                                                   # reduced, for 2 CPU cores
// The EMA set is saved as distill/syn-ema-final.arrow beside the raw images.

experiment("ftd-cifar10-ipc10") {
    dataset = cifar10Jpeg(zca = true)
    model = convNet(depth = 3, width = 128)
    method = method("ftd") // GSAM experts (alpha 0.4), syn_lr start 0.001, image EMA 0.9995

    buffer {
        experts = 100
        epochs = 50
    }

    distill {
        ipc = 10
        iterations = 5000
        synSteps = 30
        expertEpochs = 2
        maxStartEpoch = 20
        lrImg = 100.0
        lrLr = 1e-5
        saveEvery = 500
    }

    evaluate {
        runs = 5
        epochs = 1000
    }
}
