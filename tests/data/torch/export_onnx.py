"""Exports a factory of models.py with torch.onnx (opset from argv) for tests/cli/export_torch.sh;
`export()` is also used by opset_fixtures.py."""
import sys

import torch


def export(models, name, out, opset):
    """Writes models.<name>() to `out` at `opset`, with symbolic batch and sequence axes named so
    accsim maps them to --batch and --seq-len."""
    model, example = getattr(models, name)()
    model.eval()
    example = example if isinstance(example, tuple) else (example,)
    names = ["x%d" % i for i in range(len(example))]
    seq_first = name != "encoder"
    axes = {n: ({0: "seq", 1: "batch"} if seq_first else {0: "batch", 1: "seq"}) for n in names}
    if name == "transformer":
        axes["x1"] = {1: "batch"}  # one --seq-len: the target keeps its exported length (5)
    torch.onnx.export(model, example, out, input_names=names, dynamic_axes=axes, opset_version=opset,
                      do_constant_folding=True)


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])
    import models  # noqa: E402

    export(models, sys.argv[2], sys.argv[3], int(sys.argv[4]))
