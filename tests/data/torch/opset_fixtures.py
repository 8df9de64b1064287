"""Fixtures for tests/cli/onnx_opsets.sh, in one Python process (importing torch is slow): the
encoder, transformer, lstm and gru factories of models.py exported by torch.onnx at every opset
from 11 to the newest the installed torch can write (symbolic axes as export_onnx.py names them),
as OUT/NAME-OPSET.onnx. Opset 18 (newer than Debian's torch 1.13 and onnx 1.12 write) is made from
the opset-13 export, rewritten by hand to opset 18's forms: the opset import says 18 and ReduceMean
takes its axes as a second input instead of an attribute (the one change between 13 and 18 these
graphs contain; torch's LayerNorm decomposes into ReduceMean below opset 17). Prints the opsets.
argv: dir-of-models.py out-dir"""
import os
import sys

import onnx
from onnx import numpy_helper
import numpy as np

sys.path.insert(0, sys.argv[1])
import models  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import export  # noqa: E402

out = sys.argv[2]
newest = 17
try:
    from torch.onnx import _constants
    newest = _constants.ONNX_MAX_OPSET
except (ImportError, AttributeError):
    pass
opsets = list(range(11, min(newest, 18) + 1))
for name in ("encoder", "transformer", "lstm", "gru"):
    for opset in opsets:
        export(models, name, "%s/%s-%d.onnx" % (out, name, opset), opset)
    if 18 not in opsets:
        m = onnx.load("%s/%s-13.onnx" % (out, name))
        for imp in m.opset_import:
            if imp.domain in ("", "ai.onnx"):
                imp.version = 18
        for i, node in enumerate(m.graph.node):
            if node.op_type != "ReduceMean":
                continue
            attr = next((a for a in node.attribute if a.name == "axes"), None)
            if attr is None:
                continue
            axes_name = "opset18_axes_%d" % i
            m.graph.initializer.append(numpy_helper.from_array(np.array(list(attr.ints), dtype=np.int64), axes_name))
            node.attribute.remove(attr)
            node.input.append(axes_name)
        onnx.save(m, "%s/%s-18.onnx" % (out, name))
print(" ".join(str(o) for o in sorted(set(opsets) | {18})))
