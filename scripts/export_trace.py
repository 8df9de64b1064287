#!/usr/bin/python3
# /usr/bin/python3 is Debian's Python, which has python3-numpy and python3-torch (scripts/setup.sh);
# `env python3` could pick another Python without them. Run it with any other Python explicitly.
"""Export a (pruned) model to an accsim trace with real weight masks.

Two entry points, one pipeline:

  PyTorch (needs Debian's python3-torch):
    export_trace.py --torch-model model.pt --input-shape 1,3,32,32 --out net.yaml [-- ACCSIM TRACE OPTIONS]
    export_trace.py --torch-model path/to/file.py:factory [--input-shape S ...] --out net.yaml
  model.pt is a whole model saved with torch.save(model); file.py:factory is a function in the user's
  own file returning the model, or (model, example_inputs) with example_inputs a tensor or a tuple of
  tensors (so the user's classes load). --input-shape may be repeated, one per model input.
  One traced forward run records: Conv2d and Linear modules, MultiheadAttention (Q, K, V and output
  projections, and both attention products Q K^T and P V per head), LSTM and GRU (one trace layer
  per layer and direction, `steps` = the sequence length), RNN (one linear step over [x, h] repeated
  per time step), and matmul/bmm/einsum/F.linear calls outside those modules (activation x
  activation products become matmul layers; F.linear with a parameter weight a linear layer).
  Weights are read after torch.nn.utils.prune has applied its masks (weight = weight_orig *
  weight_mask), or as saved when zeroed by hand.

  accsim is found as $ACCSIM, else --accsim PATH, else `accsim` on PATH.

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
    "linear": ["tokens", "in_features", "out_features", "batch", "repeat"],
    "matmul": ["m", "n", "k", "batch"],
    "lstm": ["batch", "input_size", "hidden_size", "steps"],
    "gru": ["batch", "input_size", "hidden_size", "steps"],
}


def padding_of(conv):
    """Explicit [h, w] padding; 'same' (stride 1) pads dilation * (k - 1) / 2 on each side."""
    if isinstance(conv.padding, str):
        if conv.padding == "valid":
            return [0, 0]
        return [d * (k - 1) // 2 for d, k in zip(conv.dilation, conv.kernel_size)]
    return list(conv.padding)


def load_torch_model(spec, input_shapes):
    """The model and its example inputs, from a torch.save file or a file.py:factory function."""
    import importlib.util
    import torch

    example = None
    if ":" in spec and spec.rsplit(":", 1)[0].endswith(".py"):
        path, factory = spec.rsplit(":", 1)
        if not os.path.isfile(path):
            sys.exit("export_trace: %s: no such file" % path)
        mod_spec = importlib.util.spec_from_file_location("export_trace_user_model", path)
        module = importlib.util.module_from_spec(mod_spec)
        sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
        mod_spec.loader.exec_module(module)
        if not hasattr(module, factory):
            sys.exit("export_trace: %s has no function %r" % (path, factory))
        made = getattr(module, factory)()
        model, example = (made if isinstance(made, tuple) else (made, None))
    else:
        if not os.path.isfile(spec):
            sys.exit("export_trace: %s: no such file" % spec)
        model = torch.load(spec, map_location="cpu")
    if input_shapes:
        gen = torch.Generator().manual_seed(0)
        example = tuple(torch.randn(*shape, generator=gen) for shape in input_shapes)
    if example is None:
        sys.exit("export_trace: give --input-shape (repeat it for several inputs) or return (model, example_inputs) from the factory")
    if isinstance(example, torch.Tensor):
        example = (example,)
    return model, tuple(example)


class Recorder:
    """Records the GEMMs of one forward run as trace layers plus their weights."""

    def __init__(self):
        self.layers, self.weights, self.calls, self.depth = [], {}, {}, 0

    def unique(self, base):
        self.calls[base] = self.calls.get(base, 0) + 1
        return base if self.calls[base] == 1 else "%s#%d" % (base, self.calls[base])

    def linear(self, name, tokens, w, batch=1, repeat=1):
        w = w.detach().cpu().float().numpy()
        layer = {"name": name, "op": "linear", "tokens": int(tokens), "in_features": int(w.shape[1]), "out_features": int(w.shape[0])}
        if batch != 1:
            layer["batch"] = int(batch)
        if repeat != 1:
            layer["repeat"] = int(repeat)
        self.layers.append(layer)
        self.weights[name + ".weight"] = w

    def matmul(self, name, m, n, k, batch):
        self.layers.append({"name": name, "op": "matmul", "m": int(m), "n": int(n), "k": int(k), "batch": int(batch)})


def mha_layers(rec, name, module, args, kwargs):
    """nn.MultiheadAttention: Q, K, V and output projections and both attention products."""
    import torch

    q, k = args[0], args[1] if len(args) > 1 else kwargs.get("key")
    if module.batch_first:
        q, k = q.transpose(0, 1), k.transpose(0, 1)
    # (L, N, E) or unbatched (L, E).
    L, S = q.shape[0], k.shape[0]
    n = q.shape[1] if q.dim() == 3 else 1
    e, h = module.embed_dim, module.num_heads
    if module.in_proj_weight is not None:
        wq, wk, wv = module.in_proj_weight.chunk(3)
    else:
        wq, wk, wv = module.q_proj_weight, module.k_proj_weight, module.v_proj_weight
    rec.linear(name + ".q_proj", L * n, wq)
    rec.linear(name + ".k_proj", S * n, wk)
    rec.linear(name + ".v_proj", S * n, wv)
    rec.matmul(name + ".scores", L, S, e // h, n * h)
    rec.matmul(name + ".context", L, e // h, S, n * h)
    rec.linear(name + ".out_proj", L * n, module.out_proj.weight)


def rnn_layers(rec, name, module, x):
    """LSTM/GRU: one trace layer per layer and direction over all steps; RNN: a per-step linear."""
    import torch

    if module.batch_first and x.dim() == 3:
        x = x.transpose(0, 1)
    steps, batch = x.shape[0], (x.shape[1] if x.dim() == 3 else 1)
    dirs = 2 if module.bidirectional else 1
    for layer in range(module.num_layers):
        for d in range(dirs):
            sfx = "_l%d%s" % (layer, "_reverse" if d else "")
            w_ih, w_hh = getattr(module, "weight_ih" + sfx), getattr(module, "weight_hh" + sfx)
            w = torch.cat([w_ih, w_hh], dim=1)  # the gates' GEMM over [x_t, h_(t-1)]
            lname = "%s.l%d%s" % (name, layer, "_reverse" if d else "")
            if isinstance(module, (torch.nn.LSTM, torch.nn.GRU)):
                op = "lstm" if isinstance(module, torch.nn.LSTM) else "gru"
                if module.hidden_size != w_hh.shape[1] or (isinstance(module, torch.nn.LSTM) and module.proj_size):
                    sys.exit("export_trace: %s: LSTM projections (proj_size) are not supported" % name)
                rec.layers.append({"name": lname, "op": op, "batch": int(batch), "input_size": int(w_ih.shape[1]),
                                   "hidden_size": int(module.hidden_size), "steps": int(steps)})
                rec.weights[lname + ".weight"] = w.detach().cpu().float().numpy()
            else:
                rec.linear(lname, batch, w, repeat=steps)


def layers_from_torch(spec, input_shapes):
    import torch
    from torch.overrides import TorchFunctionMode

    model, example = load_torch_model(spec, input_shapes)
    model.eval()
    rec = Recorder()
    leaf_types = (torch.nn.Conv2d, torch.nn.Linear, torch.nn.MultiheadAttention, torch.nn.LSTM, torch.nn.GRU, torch.nn.RNN)

    def pre(name):
        def run(module, args, kwargs=None):
            kwargs = kwargs or {}
            rec.depth += 1
            if rec.depth > 1:
                return  # inside another recorded module (e.g. out_proj within attention)
            base = rec.unique(name)
            if isinstance(module, torch.nn.MultiheadAttention):
                rec.pending_mha = base  # recorded by the forward wrapper, which sees keyword arguments
                return
            if not args:
                sys.exit("export_trace: %s was called with keyword arguments only; pass its input positionally" % name)
            x = args[0]
            if isinstance(module, torch.nn.Conv2d):
                if x.dim() != 4:
                    sys.exit("export_trace: %s: unbatched Conv2d input" % name)
                rec.layers.append({"name": base, "op": "conv2d", "batch": int(x.shape[0]), "in_channels": int(x.shape[1]),
                                   "in_h": int(x.shape[2]), "in_w": int(x.shape[3]), "out_channels": module.out_channels,
                                   "kernel": list(module.kernel_size), "stride": list(module.stride),
                                   "padding": padding_of(module), "dilation": list(module.dilation), "groups": module.groups})
                rec.weights[base + ".weight"] = module.weight.detach().cpu().float().numpy()
            elif isinstance(module, torch.nn.Linear):
                rec.linear(base, int(np.prod(x.shape[:-1])), module.weight)
            elif isinstance(module, torch.nn.MultiheadAttention):
                rec.pending_mha = base  # recorded by the forward wrapper, which sees keyword arguments
            else:
                rec_x = x[0] if isinstance(x, tuple) else x
                if hasattr(torch.nn.utils.rnn, "PackedSequence") and isinstance(rec_x, torch.nn.utils.rnn.PackedSequence):
                    sys.exit("export_trace: %s: packed sequences are not supported" % name)
                rnn_layers(rec, base, module, rec_x)
        return run

    def post(module, args, output):
        rec.depth -= 1

    class Functions(TorchFunctionMode):
        """matmul/bmm/einsum/F.linear called outside the recorded modules."""

        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if rec.depth == 0:
                record_function(func, args, kwargs)
            return func(*args, **kwargs)

    def record_function(func, args, kwargs):
        name = getattr(func, "__name__", str(func))
        if func in (torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__, torch.bmm, torch.Tensor.bmm):
            a, b = args[0], args[1]
            if a.dim() < 2 or b.dim() < 2:
                return
            batch = max(int(np.prod(a.shape[:-2])), int(np.prod(b.shape[:-2])))
            if isinstance(b, torch.nn.Parameter) and b.dim() == 2:
                rec.linear(rec.unique("matmul"), int(np.prod(a.shape[:-1])), b.t())
            else:
                rec.matmul(rec.unique("matmul"), a.shape[-2], b.shape[-1], a.shape[-1], batch)
        elif func is torch.nn.functional.linear:
            rec.linear(rec.unique("linear"), int(np.prod(args[0].shape[:-1])), args[1])
        elif func is torch.einsum:
            out = func(*args, **kwargs)
            ops = [t for t in (args[1:] if len(args) > 2 or not isinstance(args[1], (list, tuple)) else args[1])]
            if len(ops) != 2:
                return
            # MACs of a two-operand einsum: the product of all distinct index sizes; as one matmul
            # with M x N = the output's elements and K = the summed-over indices.
            sizes = {}
            eq = args[0].replace(" ", "").split("->")[0].split(",")
            for sub, t in zip(eq, ops):
                for ch, dim in zip(sub, t.shape):
                    sizes[ch] = int(dim)
            macs = int(np.prod(list(sizes.values())))
            rec.matmul(rec.unique("einsum"), int(out.numel()), 1, macs // max(int(out.numel()), 1), 1)

    # Forward pre-hooks do not see keyword arguments (torchvision's ViT calls attention with
    # query=, key=, value=): wrap MultiheadAttention.forward for the run instead.
    mha_forward = torch.nn.MultiheadAttention.forward

    def recording_forward(module, *args, **kwargs):
        if rec.depth == 1 and getattr(rec, "pending_mha", None):
            q = args[0] if args else kwargs["query"]
            k = args[1] if len(args) > 1 else kwargs.get("key", q)
            mha_layers(rec, rec.pending_mha, module, (q, k), {})
            rec.pending_mha = None
        return mha_forward(module, *args, **kwargs)

    torch.nn.MultiheadAttention.forward = recording_forward
    handles = []
    for name, m in model.named_modules():
        if isinstance(m, leaf_types):
            handles.append(m.register_forward_pre_hook(pre(name)))
            handles.append(m.register_forward_hook(post))
    # Autograd stays on: PyTorch's fused inference fast path for nn.TransformerEncoderLayer and
    # MultiheadAttention runs only under no_grad, and it bypasses the modules' hooks.
    try:
        with Functions():
            model(*example)
    finally:
        torch.nn.MultiheadAttention.forward = mha_forward
        for h in handles:
            h.remove()
    return rec.layers, rec.weights


def layer_macs(l):
    """MACs of one trace layer (the lowering of docs/trace-format.md)."""
    op = l["op"]
    if op == "conv2d":
        kh, kw = (l["kernel"] if isinstance(l["kernel"], list) else [l["kernel"]] * 2)
        sh, sw = l["stride"]
        ph, pw = l["padding"]
        dh, dw = l["dilation"]
        oh = (l["in_h"] + 2 * ph - dh * (kh - 1) - 1) // sh + 1
        ow = (l["in_w"] + 2 * pw - dw * (kw - 1) - 1) // sw + 1
        return l["batch"] * oh * ow * l["out_channels"] * (l["in_channels"] // l["groups"]) * kh * kw
    if op == "linear":
        return l["tokens"] * l["in_features"] * l["out_features"] * l.get("batch", 1) * l.get("repeat", 1)
    if op == "matmul":
        return l["m"] * l["n"] * l["k"] * l.get("batch", 1)
    gates = 4 if op == "lstm" else 3
    return l["batch"] * gates * l["hidden_size"] * (l["input_size"] + l["hidden_size"]) * l["steps"]


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
                sys.exit("export_trace: layer %r: op must be one of %s" % (layer.get("name"), ", ".join(sorted(TRACE_KEYS))))
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
    p.add_argument("--input-shape", action="append", default=[],
                   help="an example input's shape for the torch path, e.g. 1,3,224,224 (repeat for several inputs)")
    p.add_argument("--layers", help="layers.json (NumPy path)")
    p.add_argument("--weights", help="weights.npz (NumPy path)")
    p.add_argument("--name", default=None)
    p.add_argument("--out", required=True)
    p.add_argument("--accsim", default=os.environ.get("ACCSIM", "accsim"), help="the accsim binary (default: $ACCSIM, else accsim on PATH)")
    p.add_argument("--print-macs", action="store_true", help="print the MACs of the recorded layers (a check against other counts)")
    a = p.parse_args(argv)
    if bool(a.torch_model) == bool(a.layers):
        p.error("give --torch-model or --layers (with --weights)")
    with tempfile.TemporaryDirectory() as tmp:
        if a.torch_model:
            try:
                shapes = [[int(x) for x in s.split(",")] for s in a.input_shape]
            except ValueError:
                p.error("--input-shape takes comma-separated integers, e.g. 1,3,224,224")
            try:
                import torch  # noqa: F401
            except ImportError:
                sys.exit("export_trace: the PyTorch path needs python3-torch (apt-get install python3-torch), or run it with a Python that has torch")
            layers, weights = layers_from_torch(a.torch_model, shapes)
            if not layers:
                sys.exit("export_trace: the forward run recorded no Conv2d, Linear, attention, recurrent or matmul layer")
            if a.print_macs:
                print("recorded MACs: %d" % sum(layer_macs(l) for l in layers))
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
        try:
            return subprocess.call(cmd)
        except FileNotFoundError:
            sys.exit("export_trace: cannot run %r: put accsim on PATH, set ACCSIM=/path/to/accsim, or pass --accsim PATH" % a.accsim)


if __name__ == "__main__":
    sys.exit(main())
