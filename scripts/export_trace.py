#!/usr/bin/env python3
"""Export a (pruned) model to an accsim trace with real weight masks.

Two entry points, one pipeline:

  PyTorch (needs Debian's python3-torch):
    export_trace.py --torch-model model.pt --input-shape 1,3,32,32 --out net.yaml [-- ACCSIM TRACE OPTIONS]
  model.pt is a whole model saved with torch.save(model). Conv2d and Linear layers are found with
  forward hooks on one dummy input (so shapes are what the model really computes). Their `weight`
  is read after torch.nn.utils.prune has applied its masks (weight = weight_orig * weight_mask),
  or as saved when weights were zeroed by hand.

  NumPy only:
    export_trace.py --layers layers.json --weights weights.npz --out net.yaml [-- ACCSIM TRACE OPTIONS]
  layers.json is a list of layers with the keys of trace format v1 (name, op, in_channels, ...);
  weights.npz holds "<name>.weight" arrays whose zeros are the pruned weights.

Both write a dense trace of the layer shapes and an .npz of the weights to a temporary folder, then
run `accsim trace --from TRACE --weights NPZ --prune existing`, which records each layer's real
mask (N:M when the zeros follow N:M, else unstructured) in the checksummed side file. Options
after `--` go to accsim trace (e.g. --quant int8 --store-values).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

TRACE_KEYS = {
    "conv2d": ["batch", "in_channels", "in_h", "in_w", "out_channels", "kernel", "stride", "padding", "dilation", "groups"],
    "linear": ["tokens", "in_features", "out_features"],
}


def padding_of(conv):
    """Explicit [h, w] padding; 'same' (stride 1) pads dilation * (k - 1) / 2 on each side."""
    if isinstance(conv.padding, str):
        if conv.padding == "valid":
            return [0, 0]
        return [d * (k - 1) // 2 for d, k in zip(conv.dilation, conv.kernel_size)]
    return list(conv.padding)


def layers_from_torch(model_path, input_shape):
    import torch  # only this path needs PyTorch

    model = torch.load(model_path, map_location="cpu")
    model.eval()
    layers, weights = [], {}

    calls = {}

    def hook(base):
        def record(module, inputs, output):
            # A module called more than once (weight sharing) gives one layer per call.
            calls[base] = calls.get(base, 0) + 1
            name = base if calls[base] == 1 else "%s#%d" % (base, calls[base])
            x = inputs[0]
            w = module.weight.detach().cpu().numpy().astype(np.float32)
            if isinstance(module, torch.nn.Conv2d):
                layers.append({"name": name, "op": "conv2d", "batch": int(x.shape[0]), "in_channels": int(x.shape[1]),
                               "in_h": int(x.shape[2]), "in_w": int(x.shape[3]), "out_channels": module.out_channels,
                               "kernel": list(module.kernel_size), "stride": list(module.stride),
                               "padding": padding_of(module), "dilation": list(module.dilation), "groups": module.groups})
            else:
                layers.append({"name": name, "op": "linear", "tokens": int(np.prod(x.shape[:-1])),
                               "in_features": module.in_features, "out_features": module.out_features})
            weights[name + ".weight"] = w
        return record

    handles = [m.register_forward_hook(hook(n)) for n, m in model.named_modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    with torch.no_grad():
        model(torch.zeros(*input_shape))
    for h in handles:
        h.remove()
    return layers, weights


def yaml_value(v):
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(str(int(x)) for x in v) + "]"
    if isinstance(v, str):
        return json.dumps(v)
    return str(int(v))


def write_dense_trace(path, name, layers):
    with open(path, "w") as f:
        f.write("format: accsim-trace\nversion: 1\nname: %s\n" % json.dumps(name))
        f.write("defaults:\n  weights: {dtype: fp32}\n  activations: {dtype: fp32}\n  outputs: {dtype: fp32}\n"
                "  accumulators: {dtype: fp32}\nlayers:\n")
        for layer in layers:
            op = layer.get("op")
            if op not in TRACE_KEYS:
                sys.exit("export_trace: layer %r: op must be conv2d or linear" % layer.get("name"))
            f.write("  - name: %s\n    op: %s\n" % (json.dumps(layer["name"]), op))
            for key in TRACE_KEYS[op]:
                if key in layer:
                    f.write("    %s: %s\n" % (key, yaml_value(layer[key])))


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--torch-model")
    p.add_argument("--input-shape", help="dummy input shape for the torch path, e.g. 1,3,224,224")
    p.add_argument("--layers", help="layers.json (NumPy path)")
    p.add_argument("--weights", help="weights.npz (NumPy path)")
    p.add_argument("--name", default=None)
    p.add_argument("--out", required=True)
    p.add_argument("--accsim", default=os.environ.get("ACCSIM", "accsim"))
    a = p.parse_args(argv)
    if bool(a.torch_model) == bool(a.layers):
        p.error("give --torch-model or --layers (with --weights)")
    with tempfile.TemporaryDirectory() as tmp:
        if a.torch_model:
            if not a.input_shape:
                p.error("--torch-model needs --input-shape")
            layers, weights = layers_from_torch(a.torch_model, [int(x) for x in a.input_shape.split(",")])
            npz = os.path.join(tmp, "weights.npz")
            np.savez(npz, **weights)
        else:
            if not a.weights:
                p.error("--layers needs --weights")
            with open(a.layers) as f:
                layers = json.load(f)
            npz = a.weights
        name = a.name or os.path.splitext(os.path.basename(a.out))[0]
        dense = os.path.join(tmp, name + ".yaml")
        write_dense_trace(dense, name, layers)
        cmd = [a.accsim, "trace", "--from", dense, "--weights", npz, "--prune", "existing", "--out", a.out] + extra
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
