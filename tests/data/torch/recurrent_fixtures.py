"""Fixtures for tests/cli/onnx_recurrent.sh, in one Python process (importing torch is slow):
for the lstm, gru and rnn factories of models.py, the model exported by torch.onnx (opset 13,
symbolic seq/batch axes, as export_onnx.py) and the weights PyTorch's module holds laid out as
accsim's recurrent layers take them: torch.cat([weight_ih, weight_hh], 1) in PyTorch's gate order,
keyed by the layer names `accsim trace --onnx` gives the nodes (/LSTM, /LSTM_1, ..., "_reverse" for
the second direction), in NAME.npz; NAME-onnx-order.npz holds the same rows in ONNX's gate order
(LSTM i,o,f,c; GRU z,r,h), a negative control that must give other masks.
argv: dir-of-models.py out-dir"""
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
import models  # noqa: E402

out = sys.argv[2]
GATES = {"lstm": 4, "gru": 3, "rnn": 1}
ONNX_ORDER = {"lstm": [0, 3, 1, 2], "gru": [1, 0, 2], "rnn": [0]}  # blocks of PyTorch's i,f,g,o / r,z,n
for name in ("lstm", "gru", "rnn"):
    model, x = getattr(models, name)()
    model.eval()
    torch.onnx.export(model, (x,), "%s/%s.onnx" % (out, name), input_names=["x0"],
                      dynamic_axes={"x0": {0: "seq", 1: "batch"}}, opset_version=13, do_constant_folding=True)
    node = "/" + type(model).__name__
    own, control = {}, {}
    for layer in range(model.num_layers):
        for d in range(2 if model.bidirectional else 1):
            sfx = "_l%d%s" % (layer, "_reverse" if d else "")
            w = torch.cat([getattr(model, "weight_ih" + sfx), getattr(model, "weight_hh" + sfx)], dim=1).detach()
            key = node + ("_%d" % layer if layer else "") + ("_reverse" if d else "") + ".weight"
            own[key] = w.numpy().astype(np.float32)
            blocks = w.chunk(GATES[name], dim=0)
            control[key] = torch.cat([blocks[i] for i in ONNX_ORDER[name]], dim=0).numpy().astype(np.float32)
    np.savez("%s/%s.npz" % (out, name), **own)
    np.savez("%s/%s-onnx-order.npz" % (out, name), **control)
