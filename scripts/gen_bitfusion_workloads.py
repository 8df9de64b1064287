#!/usr/bin/env python3
"""Writes the Bit Fusion benchmark traces under workloads/bitfusion/.

Layer shapes and per-layer bit widths follow the authors' public simulator
(github.com/hsharma35/bitfusion, bitfusion/src/benchmarks/benchmarks.py, commit 0246bc4c), which
is what Sharma et al., ISCA'18 evaluated. Batch 16 everywhere, as there. Each conv/fc layer's
activation width is the output width (c_dtype/f_dtype) of the layer feeding it; the network input
width is the input tensor's dtype. Pooling, add and concat are not MAC layers and only change
shapes here (2x2/2 max-pooling halves H and W, rounding down).

For each network four traces are written: the published precisions (<net>.yaml, whose first
convolution is the GEMM the host's im2col hands the array, as in the authors' simulator), the same
shapes at 8 bits (<net>-int8.yaml) and 16 bits (<net>-int16.yaml) for every operand, and with
16-bit weights and the published activations (<net>-stripes.yaml: Stripes' operands).
Run: python3 scripts/gen_bitfusion_workloads.py  (deterministic; rewrites the files);
--check: exit 1 naming the first file that differs from what would be written, write nothing.
"""
import os
import sys

CHECK = "--check" in sys.argv[1:]

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "workloads", "bitfusion")
BATCH = 16


def conv(name, cin, hw, cout, k, w, a, o, stride=1, pad=None, repeat=1):
    if pad is None:  # SAME for odd kernels at stride 1; callers pass VALID/explicit pads
        pad = k // 2
    return dict(name=name, op="conv2d", batch=BATCH, in_channels=cin, in_h=hw, in_w=hw,
                out_channels=cout, kernel=k, stride=stride, padding=pad, w=w, a=a, o=o, repeat=repeat)


def fc(name, fin, fout, w, a, o):
    return dict(name=name, op="linear", tokens=BATCH, in_features=fin, out_features=fout, w=w, a=a, o=o)


NETS = {}

# AlexNet (DoReFa-style): two towers; conv1 a/b both read the 3-channel 8-bit image, conv2 a/b read
# their own tower, conv3 a/b read the concatenation, conv4/5 their own tower. 227 -> 55 -> pool 27
# -> pool 13 -> pool 6. Identical a/b layers are folded into repeat: 2.
NETS["alexnet"] = ("AlexNet, Bit Fusion precisions (w4/a4 body, 8-bit input and fc3)", [
    conv("conv1", 3, 227, 48, 11, 4, 8, 4, stride=4, pad=0, repeat=2),
    conv("conv2", 48, 27, 128, 5, 4, 4, 4, repeat=2),
    conv("conv3", 256, 13, 192, 3, 4, 4, 4, repeat=2),
    conv("conv4", 192, 13, 192, 3, 4, 4, 4, repeat=2),
    conv("conv5", 192, 13, 128, 3, 4, 4, 4, repeat=2),
    fc("fc1", 6 * 6 * 256, 4096, 4, 4, 4),
    fc("fc2", 4096, 4096, 4, 4, 8),
    fc("fc3", 4096, 1000, 8, 8, 32),
])

# LeNet-5 (TWN), MNIST 32x32x1 at 2 bits; every layer 2-bit.
NETS["lenet5"] = ("LeNet-5 (TWN), all layers w2/a2", [
    conv("conv0", 1, 32, 32, 5, 2, 2, 2),
    conv("conv1", 32, 16, 64, 5, 2, 2, 2),
    fc("fc1", 8 * 8 * 64, 512, 2, 2, 2),
    fc("fc2", 512, 10, 2, 2, 2),
])

# CIFAR-10 (QNN): 8-bit image and first-layer weights, 2-bit elsewhere.
NETS["cifar10"] = ("CIFAR-10 QNN: conv0 w8/a8, the rest w2/a2", [
    conv("conv0", 3, 32, 128, 3, 8, 8, 2),
    conv("conv1", 128, 32, 128, 3, 2, 2, 2),
    conv("conv2", 128, 16, 256, 3, 2, 2, 2),
    conv("conv3", 256, 16, 256, 3, 2, 2, 2),
    conv("conv4", 256, 8, 512, 3, 2, 2, 2),
    conv("conv5", 512, 8, 512, 3, 2, 2, 2),
    fc("fc6", 4 * 4 * 512, 1024, 2, 2, 2),
    fc("fc7", 1024, 1024, 2, 2, 2),
    fc("fc8", 1024, 10, 2, 2, 32),
])

# VGG-7 (TWN), the repository's two-branch variant: both branches read the 2-bit image.
NETS["vgg7"] = ("VGG-7 (TWN), two branches, all layers w2/a2", [
    conv("conv1", 3, 32, 128, 3, 2, 2, 2, repeat=2),
    conv("conv2", 128, 16, 256, 3, 2, 2, 2, repeat=2),
    conv("conv3", 256, 8, 512, 3, 2, 2, 2, repeat=2),
    fc("fc1", 4 * 4 * 512, 1024, 2, 2, 2),
])

# ResNet-18 (TWN), the repository's simplified form (1x1 then 3x3 per block, no fc):
# conv1 7x7/2 w8/a8 (pad 3 gives SAME's 112), pool -> 56; modules of 64/128/256/512 at 56/28/14/7.
resnet = [conv("conv1", 3, 224, 64, 7, 8, 8, 4, stride=2, pad=3)]
for mod, (ch, hw) in enumerate([(64, 56), (128, 28), (256, 14), (512, 7)], start=2):
    cin = 64 if mod == 2 else ch // 2
    in_hw = hw if mod == 2 else hw * 2
    resnet.append(conv(f"conv{mod}_1_a", cin, in_hw, ch, 1, 4, 4, 4, stride=1 if mod == 2 else 2, pad=0))
    resnet.append(conv(f"conv{mod}_1_b", ch, hw, ch, 3, 4, 4, 4))
    resnet.append(conv(f"conv{mod}_2_a", ch, hw, ch, 1, 4, 4, 4, pad=0))
    resnet.append(conv(f"conv{mod}_2_b", ch, hw, ch, 3, 4, 4, 4))
NETS["resnet18"] = ("ResNet-18 (TWN, simplified as in the Bit Fusion simulator): conv1 w8/a8, the rest w4/a4", resnet)


def out_size(l):
    """A convolution's output rows (= columns) from its input map, kernel, stride and padding."""
    return (l["in_h"] + 2 * l["padding"] - l["kernel"]) // l["stride"] + 1


def resized(layers, out_hw):
    """The same layers with the output map sizes of `out_hw` (name -> OH = OW): the input map is
    the one that gives that output with the layer's kernel, stride and padding."""
    out = []
    for l in layers:
        l = dict(l)
        if l["name"] in out_hw:
            o = out_hw[l["name"]]
            l["in_h"] = l["in_w"] = (o - 1) * l["stride"] + l["kernel"] - 2 * l["padding"]
        out.append(l)
    return out


# The authors' Bit Fusion run (results/bitfusion-eyeriss-sim-sweep.csv, rows "16,32,8,2,AlexNet,..."
# and "16,32,8,2,RESNET-18,..." at 192 bits/cycle, commit cf2d5c8a) did not shrink the maps where the
# networks pool: its compute cycles (Cycles - Memory wait cycles) are, with their channel mapping
# (b x ceil(oc/32) x OH x OW x kh x kw x ceil(ic/64) at 4 bits),
#   AlexNet conv2_a/b 5,017,600 = 16 x 4 x 56^2 x 25 x 1            (the network: 27 x 27)
#           conv3_a/b 2,709,504 = 16 x 6 x 28^2 x 9 x 4             (13 x 13)
#           conv4_a/b 2,032,128 = 16 x 6 x 28^2 x 9 x 3             (13 x 13)
#           conv5_a/b 1,354,752 = 16 x 4 x 28^2 x 9 x 3             (13 x 13)
#   ResNet-18 conv2_x_a 401,408 = 16 x 2 x 112^2 x 1, conv2_x_b 3,612,672 = 16 x 2 x 112^2 x 9 (56)
#           conv3_1_a 200,704 = 16 x 4 x 56^2, conv3_2_a 401,408, conv3_x_b 3,612,672 = 16 x 4 x 56^2 x 9 x 2 (28)
#           conv4_1_a 200,704 = 16 x 8 x 28^2 x 2, conv4_2_a 401,408, conv4_x_b 3,612,672 (14)
#           conv5_1_a 200,704 = 16 x 16 x 14^2 x 4, conv5_2_a 401,408, conv5_x_b 3,612,672 (7)
# The input layers (AlexNet conv1 55 x 55, ResNet-18 conv1 112 x 112) and the FC layers keep the
# network's sizes. Their Eyeriss runs (results/eyeriss_results.csv) use the network's sizes.
# AlexNet's FC rows also carry 16-bit weights: WBUF Read = IC x OC x 16 images x 16 bits (fc1
# 9,663,676,416 = 9216 x 4096 x 16 x 16; fc2 4,294,967,296; fc3 1,073,741,824 = 4096 x 1024 x 16 x 16,
# OC padded to 32 columns), and the compute cycles are those of 16-bit weights (fc1 1,179,648 =
# 16 x 128 x 9216/16, fc2 524,288 = 16 x 128 x 4096/16, fc3 262,144 = 16 x 32 x 4096/8) where 4- and
# 8-bit weights would take 4x and 2x fewer; the RNN's FC row, same fc() code, has 4-bit weights.
AUTHORS = {
    "alexnet": ("AlexNet as the authors' Bit Fusion run sized it (conv2 on 56 x 56, conv3-5 on 28 x 28, "
                "16-bit FC weights)",
                [dict(l, w=16) if l["op"] == "linear" else l for l in
                 resized(NETS["alexnet"][1], {"conv2": 56, "conv3": 28, "conv4": 28, "conv5": 28})]),
    "resnet18": ("ResNet-18 as the authors' Bit Fusion run sized it (modules 2-5 on 112/56/28/14)",
                 resized(NETS["resnet18"][1], {l["name"]: 2 * out_size(l) for l in NETS["resnet18"][1][1:]})),
}

# SVHN (QNN): binary weights and activations (FQDtype.Bin = 1 bit), 8-bit image into conv0.
# 32 -> pool 16 -> pool 8 -> pool 4.
NETS["svhn"] = ("SVHN QNN: binary weights and activations, 8-bit image into conv0", [
    conv("conv0", 3, 32, 64, 3, 1, 8, 1),
    conv("conv1", 64, 32, 64, 3, 1, 1, 1),
    conv("conv2", 64, 16, 128, 3, 1, 1, 1),
    conv("conv3", 128, 16, 128, 3, 1, 1, 1),
    conv("conv4", 128, 8, 256, 3, 1, 1, 1),
    conv("conv5", 256, 8, 256, 3, 1, 1, 1),
    fc("fc6", 4 * 4 * 256, 1024, 1, 1, 1),
    fc("fc7", 1024, 1024, 1, 1, 1),
    fc("fc8", 1024, 10, 1, 1, 32),
])

# RNN (PTB), hidden 2048: one 4096 x 4096 matmul ([x_t, h_{t-1}] -> 2 x 2048) over a batch of 16, w4/a4.
NETS["rnn"] = ("RNN (PTB, 2048 hidden): one 4096x4096 matmul, batch 16, w4/a4", [
    fc("matmul", 4096, 4096, 4, 4, 32),
])

# LSTM (PTB), hidden 900: the four gates as one 3600 x 3600 matmul over a batch of 16, w4/a4.
NETS["lstm"] = ("LSTM (PTB, 900 hidden): one 3600x3600 gate matmul, batch 16, w4/a4", [
    fc("gates", 3600, 3600, 4, 4, 32),
])


def host_im2col(l):
    """The network-input convolution as the GEMM the array receives after the host's im2col: the
    authors' simulator im2cols the layer that reads the input image (bitfusion/src/simulator/
    simulator.py get_cycles: "im2col for first layer"), so the accelerator multiplies a
    (batch x OH x OW) x (C x k x k) matrix by the weights."""
    out_hw = out_size(l)
    g = dict(name=l["name"], op="gemm", m=BATCH * out_hw * out_hw, n=l["out_channels"],
             k=l["in_channels"] * l["kernel"] * l["kernel"], w=l["w"], a=l["a"], o=l["o"])
    if l.get("repeat", 1) > 1:
        g["repeat"] = l["repeat"]
    return g


def layer_yaml(l, override):
    w, a, o = (override, override, override) if override else (l["w"], l["a"], l["o"])
    if override == "stripes":  # Stripes keeps 16-bit weights; activations at the published widths
        w, a, o = 16, l["a"], l["o"]
    o = min(o, 32)
    lines = [f"  - name: {l['name']}", f"    op: {l['op']}"]
    for key in ("batch", "in_channels", "in_h", "in_w", "out_channels", "kernel", "stride", "padding",
                "tokens", "in_features", "out_features", "m", "n", "k"):
        if key in l:
            lines.append(f"    {key}: {l[key]}")
    if l.get("repeat", 1) > 1:
        lines.append(f"    repeat: {l['repeat']}")
    lines.append(f"    weights: {{bits: {w}}}")
    lines.append(f"    activations: {{bits: {a}}}")
    lines.append(f"    outputs: {{bits: {o}}}")
    return "\n".join(lines)


AUTHORS_NOTE = [
    "# Bit Fusion side of the authors' run: the output map sizes their simulator used, derived from the",
    "# compute cycles (Cycles - Memory wait cycles) of github.com/hsharma35/bitfusion",
    "# results/bitfusion-eyeriss-sim-sweep.csv (commit cf2d5c8a), rows \"16,32,8,2,{net},<layer>\" at",
    "# Bandwidth 192; the derivation per layer is in scripts/gen_bitfusion_workloads.py (AUTHORS).",
    "# Not the network: the layers after the first pool run on maps 2x (ResNet-18) or 2.1-2.2x",
    "# (AlexNet) larger per side than the network's; docs/models/mac.md, \"Against the paper\".",
]


def write(name, what, layers, override, extra=()):
    text = ["# Generated by scripts/gen_bitfusion_workloads.py; do not edit by hand.",
            "# Shapes and bit widths: github.com/hsharma35/bitfusion, bitfusion/src/benchmarks/",
            "# benchmarks.py (commit 0246bc4c), the benchmarks of Sharma et al., ISCA'18. Batch 16.",
            *extra, "format: accsim-trace", "version: 1", f"name: {name}",
            f"description: \"{what}\"", "defaults:", "  accumulators: {dtype: int32}", "layers:"]
    # Bit Fusion's own traces (published precisions) hand the array the host's im2col of
    # the input layer; the baselines (Eyeriss, fixed, Stripes) run the convolution itself.
    run = layers
    if override is None and layers[0]["op"] == "conv2d":
        text.append("# " + layers[0]["name"] + ": the host's im2col of the input image, as the authors' simulator")
        text.append("# (simulator.py get_cycles: im2col for first layer): a GEMM of batch x OH x OW rows.")
        run = [host_im2col(layers[0])] + layers[1:]
    text += [layer_yaml(l, override) for l in run]
    path, body = os.path.join(OUT, f"{name}.yaml"), "\n".join(text) + "\n"
    if CHECK:
        current = open(path).read() if os.path.exists(path) else None
        if current != body:
            sys.exit(f"{os.path.relpath(path)}: differs from scripts/gen_bitfusion_workloads.py output")
        return
    with open(path, "w") as f:
        f.write(body)


def main():
    os.makedirs(OUT, exist_ok=True)
    for net, (desc, layers) in NETS.items():
        for suffix, override in (("", None), ("-int8", 8), ("-int16", 16), ("-stripes", "stripes")):
            if override == "stripes":
                what = f"{desc}; here with Stripes' 16-bit weights (Judd et al., MICRO'16)"
            else:
                what = desc if override is None else f"{desc}; here every operand at {override} bits"
            write(f"{net}{suffix}", what, layers, override)
    csv_net = {"alexnet": "AlexNet", "resnet18": "RESNET-18"}
    for net, (desc, layers) in AUTHORS.items():
        write(f"{net}-authors", desc, layers, None, [l.format(net=csv_net[net]) for l in AUTHORS_NOTE])


if __name__ == "__main__":
    main()
