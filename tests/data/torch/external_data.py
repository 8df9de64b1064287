"""Rewrites an ONNX model with every tensor in one external data file (onnx.save_model with
save_as_external_data, size_threshold=0), for tests/cli/onnx_external.sh.
argv: model.onnx out.onnx location [edit]; `edit` damages the first external tensor's keys:
  up (location ../outside.data), abs (an absolute location), key (an unknown key),
  long (length + 4), far (offset past the end of the data file)."""
import os
import sys

import onnx

src, out, location = sys.argv[1], sys.argv[2], sys.argv[3]
edit = sys.argv[4] if len(sys.argv) > 4 else ""
m = onnx.load(src)
os.makedirs(os.path.dirname(os.path.join(os.path.dirname(out), location)) or ".", exist_ok=True)
onnx.save_model(m, out, save_as_external_data=True, all_tensors_to_one_file=True, location=location, size_threshold=0)
if edit:
    m = onnx.load(out, load_external_data=False)
    t = next(t for t in m.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL and len(t.dims) == 2)
    kv = {e.key: e for e in t.external_data}
    if edit == "up":
        kv["location"].value = "../outside.data"
    elif edit == "abs":
        kv["location"].value = "/etc/hostname"
    elif edit == "key":
        e = t.external_data.add()
        e.key, e.value = "basepath", "x"
    elif edit == "long":
        kv["length"].value = str(int(kv["length"].value) + 4)
    elif edit == "far":
        kv["offset"].value = str(10 ** 12)
    onnx.save_model(m, out)
