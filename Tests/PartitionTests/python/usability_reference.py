#!/usr/bin/env python3
"""What ORT's mobile usability checker says about a model, as JSON (the reference for
onnxscope partition's nnapi / coreml / coreml-mlprogram predictions).

    usability_reference.py MODEL.onnx [--skip-optimize]

Runs the checker's own steps (ORT basic-level optimization, onnx strict shape inference, its
partitioning per EP, with and without the fixed-shape requirement) and prints, per target:
total/supported nodes, partitions and their sizes, unsupported ops, nodes unsupported because
of a dynamic input or of rank, subgraphs, the verdict, the fixed-shape rerun when the checker
would do one, and the names of the supported nodes.
"""
import json
import logging
import pathlib
import sys
import tempfile

from onnxruntime.tools.mobile_helpers import usability_checker as uc
from onnxruntime.tools.onnx_model_utils import ModelProtoWithShapeInfo, optimize_model


def info_json(info):
    return {
        "total_nodes": info.num_nodes,
        "supported_nodes": info.num_supported_nodes,
        "partitions": info.num_partitions,
        "partition_sizes": [len(g) for g in info.supported_groups],
        "unsupported_ops": sorted(info.unsupported_ops),
        "unsupported_due_to_op": info.nodes_unsupported_due_to_op,
        "dynamic_shape_nodes": info.nodes_unsupported_due_to_dynamic_input,
        "rank_nodes": info.num_unsupported_nodes_due_to_rank,
        "subgraphs": info.num_subgraphs,
        "verdict": info.suitability().name.lower(),
        "supported": sorted(n.name for g in info.supported_groups for n in g),
    }


def main():
    path = pathlib.Path(sys.argv[1]).resolve()
    skip = "--skip-optimize" in sys.argv
    logging.getLogger().setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        if not skip:
            optimized = pathlib.Path(tmp) / path.name
            optimize_model(path, optimized, use_external_initializers=True)
            path = optimized
        model = ModelProtoWithShapeInfo(path).model_with_shape_info
        dynamic_inputs, _ = uc.check_shapes(model.graph)
        checks = {
            "nnapi": uc.check_nnapi_partitions,
            "coreml": lambda m, f: uc.check_coreml_partitions(m, f, "coreml_supported_neuralnetwork_ops.md"),
            "coreml-mlprogram": lambda m, f: uc.check_coreml_partitions(m, f, "coreml_supported_mlprogram_ops.md"),
        }
        targets = []
        for name, check in checks.items():
            info = check(model, True)
            entry = {"target": name, **info_json(info), "fixed_shapes": None}
            if info.suitability() != uc.PartitioningInfo.TryWithEP.YES and dynamic_inputs:
                entry["fixed_shapes"] = info_json(check(model, False))
            targets.append(entry)
        print(json.dumps({"optimized_nodes": len(model.graph.node), "targets": targets}, indent=1))


if __name__ == "__main__":
    main()
