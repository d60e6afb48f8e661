/// Every op family the harness knows; add a family's dictionary here once.
let opFamilies: [[String: OpImplementation]] = [
    creationOps,
    conversionOps,
    elementwiseOps,
    shapeOps,
    indexingOps,
    gatherOps,
    reductionOps,
    linalgOps,
    einsumOps,
    reprOps,
    randomOps,
    optimOps,
    lossOps,
    nnFunctionalOps,
    inPlaceOps,
    extensionOps,
]
