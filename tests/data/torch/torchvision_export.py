"""For tests/cli/torchvision.sh: builds a torchvision model (random weights, seed 0), counts its MACs
with forward hooks, exports it with torch.onnx (dynamic batch except ViT) and torch.save."""
import sys

import torch
import torchvision

name, out = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
model = getattr(torchvision.models, name)(weights=None).eval()
x = torch.randn(1, 3, 224, 224)
macs = 0


def conv_hook(mod, inp, outp):
    global macs
    macs += outp.numel() * (mod.in_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]


def linear_hook(mod, inp, outp):
    global macs
    macs += outp.numel() * mod.in_features


def attention_hook(mod, inp, outp):
    # Self-attention on (N, L, E): Q, K, V and output projections 4 N L E^2, Q K^T and P V 2 N L^2 E.
    global macs
    n, l, e = outp[0].shape
    macs += 4 * n * l * e * e + 2 * n * l * l * e


handles = []
for mod in model.modules():
    if isinstance(mod, torch.nn.Conv2d):
        handles.append(mod.register_forward_hook(conv_hook))
    elif isinstance(mod, torch.nn.MultiheadAttention):
        handles.append(mod.register_forward_hook(attention_hook))
    elif type(mod) is torch.nn.Linear:  # attention's out_proj is counted by attention_hook
        handles.append(mod.register_forward_hook(linear_hook))
with torch.no_grad():
    model(x)
for h in handles:
    h.remove()
print(macs)
dynamic = None if name == "vit_b_16" else {"x": {0: "batch"}}
torch.onnx.export(model, (x,), out + ".onnx", input_names=["x"], dynamic_axes=dynamic, opset_version=13, do_constant_folding=True)
torch.save(model, out + ".pt")
