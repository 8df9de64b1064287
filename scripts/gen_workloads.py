#!/usr/bin/env python3
"""Generates the shipped trace-v1 workloads (workloads/*.yaml) from the published architectures.

Shapes are computed here, never hand-typed into the YAML, so a change of one constant (a width,
a stride) propagates consistently. Run from anywhere:  python3 scripts/gen_workloads.py [--check]
--check regenerates in memory and fails if a checked-in file differs (used by the tests).

Only layers that do multiply-accumulates are listed: pooling, softmax, normalisation, residual
additions and activation functions are not operations of the trace format (docs/trace-format.md).
"""
import argparse
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "workloads")


def conv_out(size, kernel, stride, pad):
    return (size + 2 * pad - kernel) // stride + 1


class Net:
    """Collects layers; conv() tracks the feature-map size so later layers need no arithmetic."""

    def __init__(self):
        self.layers = []

    def conv(self, name, cin, cout, hw, kernel, stride=1, groups=1):
        pad = kernel // 2  # "same" padding for odd kernels, as in both CNN papers
        layer = {"name": name, "op": "conv2d", "in_channels": cin, "out_channels": cout,
                 "in_h": hw, "in_w": hw, "kernel": kernel, "stride": stride, "padding": pad}
        if groups != 1:
            layer["groups"] = groups
        self.layers.append(layer)
        return conv_out(hw, kernel, stride, pad)

    def linear(self, name, in_features, out_features, tokens=1):
        layer = {"name": name, "op": "linear", "tokens": tokens,
                 "in_features": in_features, "out_features": out_features}
        self.layers.append(layer)

    def matmul(self, name, batch, m, k, n):
        self.layers.append({"name": name, "op": "matmul", "batch": batch, "m": m, "k": k, "n": n})


def macs(layer):
    """MACs of one layer, computed independently of accsim's C++ lowering (a cross-check)."""
    op = layer["op"]
    if op == "conv2d":
        k, s, p, hw = layer["kernel"], layer["stride"], layer["padding"], layer["in_h"]
        out = conv_out(hw, k, s, p)
        groups = layer.get("groups", 1)
        return out * out * layer["out_channels"] * (layer["in_channels"] // groups) * k * k
    if op == "linear":
        return layer["tokens"] * layer["in_features"] * layer["out_features"]
    if op == "matmul":
        return layer["batch"] * layer["m"] * layer["k"] * layer["n"]
    if op == "lstm":
        return layer.get("batch", 1) * layer["steps"] * 4 * layer["hidden_size"] * (
            layer["input_size"] + layer["hidden_size"])
    raise ValueError(op)


def resnet50():
    """ResNet-50 v1.5 (torchvision's resnet50): He et al., CVPR'16, Table 1, with the stride-2
    moved from the first 1x1 to the 3x3 conv of each downsampling bottleneck (the "v1.5" change,
    NVIDIA DeepLearningExamples ResNet50 v1.5 model card)."""
    n = Net()
    hw = n.conv("conv1", 3, 64, 224, 7, stride=2)          # 224 -> 112
    hw = conv_out(hw, 3, 2, 1)                             # 3x3/2 max pool, padding 1: 112 -> 56
    cin = 64
    # (stage name, bottleneck width, blocks, stride of the first block) from Table 1.
    for stage, (width, blocks, stride) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)], start=2):
        cout = width * 4
        for b in range(blocks):
            s = stride if b == 0 else 1
            p = f"layer{stage - 1}.{b}"
            n.conv(f"{p}.conv1", cin, width, hw, 1)
            hw_out = n.conv(f"{p}.conv2", width, width, hw, 3, stride=s)
            n.conv(f"{p}.conv3", width, cout, hw_out, 1)
            if b == 0:  # projection shortcut where the shape changes
                n.conv(f"{p}.downsample", cin, cout, hw, 1, stride=s)
            hw, cin = hw_out, cout
    n.linear("fc", 2048, 1000)                             # after 7x7 global average pooling
    return {
        "name": "resnet50",
        "description": "ResNet-50 v1.5, ImageNet, batch 1, 224x224x3 input. He et al., CVPR 2016, "
                       "Table 1; v1.5 puts the downsampling stride on the 3x3 conv (torchvision resnet50). "
                       "Pooling, batch norm, ReLU and residual additions are not MAC layers and are omitted.",
        "published_macs": "about 4.1e9 (torchvision resnet50: 4.09 GFLOPS counted as multiply-adds)",
    }, n.layers


def mobilenetv2():
    """MobileNetV2 1.0, 224x224 (Sandler et al., CVPR'18, Table 2): t expansion, c channels,
    n repeats, s stride of the first repeat. Expansion factor 1 has no expansion conv."""
    n = Net()
    hw = n.conv("conv_stem", 3, 32, 224, 3, stride=2)      # 224 -> 112
    cin = 32
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                (6, 320, 1, 1)]
    block = 0
    for t, c, reps, s in settings:
        for i in range(reps):
            stride = s if i == 0 else 1
            hidden = cin * t
            p = f"block{block}"
            if t != 1:
                n.conv(f"{p}.expand", cin, hidden, hw, 1)
            hw_out = n.conv(f"{p}.depthwise", hidden, hidden, hw, 3, stride=stride, groups=hidden)
            n.conv(f"{p}.project", hidden, c, hw_out, 1)
            hw, cin = hw_out, c
            block += 1
    n.conv("conv_head", 320, 1280, hw, 1)
    n.linear("classifier", 1280, 1000)                     # after 7x7 global average pooling
    return {
        "name": "mobilenetv2",
        "description": "MobileNetV2 1.0 (width multiplier 1), ImageNet 224x224x3, batch 1. Sandler et al., "
                       "CVPR 2018, Table 2: inverted residual blocks of 1x1 expansion, 3x3 depthwise "
                       "(groups = channels), 1x1 linear projection. Pooling, batch norm, ReLU6 and residual "
                       "additions are omitted.",
        "published_macs": "about 300e6 multiply-adds (Sandler et al. CVPR'18, Table 4: 300M)",
    }, n.layers


def bert_base(seq=128, hidden=768, heads=12, ffn=3072, layers=12):
    """BERT-base encoder (Devlin et al., NAACL'19: L=12, H=768, A=12, FFN 4H), one sequence."""
    n = Net()
    head_dim = hidden // heads
    for i in range(layers):
        p = f"encoder{i}"
        n.linear(f"{p}.qkv", hidden, 3 * hidden, tokens=seq)                 # Q, K, V projections fused
        n.matmul(f"{p}.qk", heads, seq, head_dim, seq)                       # scores = Q K^T per head
        n.matmul(f"{p}.av", heads, seq, seq, head_dim)                       # context = softmax(scores) V
        n.linear(f"{p}.attn_out", hidden, hidden, tokens=seq)
        n.linear(f"{p}.ffn1", hidden, ffn, tokens=seq)
        n.linear(f"{p}.ffn2", ffn, hidden, tokens=seq)
    return {
        "name": "bert-base",
        "description": f"BERT-base encoder stack, batch 1, sequence {seq} tokens: {layers} layers, hidden {hidden}, "
                       f"{heads} heads of {head_dim}, FFN {ffn} (Devlin et al., NAACL 2019). Per layer: fused QKV "
                       "linear, per-head Q K^T and A V matmuls (activation x activation), output projection, "
                       "two FFN linears. Embedding lookup, softmax, layer norm, GELU and the pooler are omitted.",
        "published_macs": "about 11e9 at sequence 128 (12 x (4 x 128 x 768^2 + 2 x 128 x 768 x 3072 + "
                          "2 x 128^2 x 768) = 11.17e9)",
    }, n.layers


def lstm():
    """The language-model LSTM the bank-balanced-sparsity work evaluates on Penn Treebank: the
    "large" model of Zaremba et al. (arXiv 1409.2329): 2 layers of 1500 units, 1500-wide word
    embeddings, unrolled for 35 steps."""
    layers = []
    for i in range(2):
        layers.append({"name": f"lstm{i}", "op": "lstm", "input_size": 1500, "hidden_size": 1500, "steps": 35})
    return {
        "name": "lstm",
        "description": "2-layer LSTM language model, 1500 hidden units per layer, 1500-wide input (word "
                       "embedding), 35 time steps, batch 1: the PTB model size used by the bank-balanced "
                       "sparsity evaluations (Cao et al., FPGA 2019; Yao et al., AAAI 2019), i.e. the 'large' "
                       "PTB LSTM of Zaremba et al. 2014 (arXiv 1409.2329). The exact model of the FPGA'19 "
                       "paper is taken from these secondary notes and not verified against its PDF. Only "
                       "the LSTM layers are listed (they are what the BBS accelerator runs); the embedding "
                       "lookup and the 1500 x 10000 softmax decoder are omitted.",
        "published_macs": "4 gates x 1500 x (1500 + 1500) x 35 steps x 2 layers = 1.26e9",
    }, layers


def document(meta, layers):
    total = sum(macs(l) for l in layers)
    header = (f"# Generated by scripts/gen_workloads.py -- edit the script, not this file.\n"
              f"# {meta['name']}: {len(layers)} layers, {total} MACs ({total / 1e9:.3f} G) computed by the script;\n"
              f"# published: {meta['published_macs']}.\n")
    doc = {
        "format": "accsim-trace",
        "version": 1,
        "name": meta["name"],
        "description": meta["description"],
        # int8 weights/activations/outputs and int32 accumulators: the common inference setting.
        "defaults": {"weights": {"dtype": "int8"}, "activations": {"dtype": "int8"},
                     "outputs": {"dtype": "int8"}, "accumulators": {"dtype": "int32"}},
        "layers": layers,
    }
    body = yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, width=120)
    return header + body, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if a checked-in workload differs")
    ap.add_argument("--out", default=OUT_DIR, help="output directory (default: workloads/)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    stale = []
    for fn in (resnet50, mobilenetv2, bert_base, lstm):
        meta, layers = fn()
        text, total = document(meta, layers)
        path = os.path.join(args.out, meta["name"] + ".yaml")
        print(f"{meta['name']:12s} {len(layers):4d} layers {total:>14d} MACs ({total / 1e9:.4f} G)")
        if args.check:
            try:
                with open(path) as f:
                    if f.read() != text:
                        stale.append(path)
            except FileNotFoundError:
                stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print("out of date (run scripts/gen_workloads.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
