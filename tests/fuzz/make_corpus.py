#!/usr/bin/env python3
"""Writes the fuzz seed corpus (tests/fuzz/corpus/TARGET/) and the regression corpus
(tests/fuzz/regression/TARGET/: every crasher, hang and silent wrong answer named in issue #16).

Deterministic: rerunning it rewrites the same bytes. Usage: python3 tests/fuzz/make_corpus.py
(from the repository root; the side-file and result-row seeds come from `accsim` when
ACCSIM=path/to/accsim is set, else those folders are left as they are).
"""
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ = os.path.join(ROOT, "tests", "fuzz")


def put(kind, target, name, data):
    d = os.path.join(FUZZ, kind, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def seed(target, name, data):
    put("corpus", target, name, data)


def regress(target, name, data):
    put("regression", target, name, data)


# --- protobuf wire format (onnx.proto field numbers), as tests/common/protobuf_writer.hpp ---
def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        out.append((v & 0x7F) | (0x80 if v > 0x7F else 0))
        v >>= 7
        if not v:
            return bytes(out)


def key(field, wire):
    return varint(field << 3 | wire)


def pb_bytes(field, payload):
    payload = payload.encode() if isinstance(payload, str) else payload
    return key(field, 2) + varint(len(payload)) + payload


def pb_num(field, v):
    return key(field, 0) + varint(v)


def packed(field, values):
    return pb_bytes(field, b"".join(varint(v) for v in values))


def tensor(name, dims):
    n = 1
    for d in dims:
        n *= d
    raw = b"".join(struct.pack("<f", float(i)) for i in range(n))
    return packed(1, dims) + pb_num(2, 1) + pb_bytes(8, name) + pb_bytes(9, raw)


def attr_i(name, v):
    return pb_bytes(5, pb_bytes(1, name) + pb_num(3, v) + pb_num(20, 2))


def attr_ints(name, values):
    return pb_bytes(5, pb_bytes(1, name) + packed(8, values) + pb_num(20, 7))


def node(op, inputs, out, attrs=b""):
    body = b"".join(pb_bytes(1, i) for i in inputs)
    return pb_bytes(1, body + pb_bytes(2, out) + pb_bytes(3, op + "_" + out) + pb_bytes(4, op) + attrs)


def graph_input(name="x", dims=(1, 3, 8, 8)):
    d = b"".join(pb_bytes(1, pb_num(1, v)) for v in dims)
    return pb_bytes(11, pb_bytes(1, name) + pb_bytes(2, pb_bytes(1, pb_num(1, 1) + pb_bytes(2, d))))


def model(graph):
    return pb_num(1, 8) + pb_bytes(7, graph)


def cnn(conv_attrs=None, pool_attrs=None, extra=b""):
    conv_attrs = conv_attrs if conv_attrs is not None else attr_ints("pads", [1, 1, 1, 1]) + attr_ints("kernel_shape", [3, 3])
    pool_attrs = pool_attrs if pool_attrs is not None else attr_ints("kernel_shape", [2, 2]) + attr_ints("strides", [2, 2])
    return model(node("Conv", ["x", "conv1.weight"], "c", conv_attrs) + node("Relu", ["c"], "r") +
                 node("MaxPool", ["r"], "p", pool_attrs) + node("Flatten", ["p"], "f") +
                 node("Gemm", ["f", "fc.weight"], "g", attr_i("transB", 1)) + extra +
                 pb_bytes(5, tensor("conv1.weight", [4, 3, 3, 3])) + pb_bytes(5, tensor("fc.weight", [10, 64])) +
                 pb_bytes(2, "g") + graph_input())


def onnx_cases():
    seed("onnx", "cnn.onnx", cnn())
    k33 = attr_ints("kernel_shape", [3, 3])
    regress("onnx", "conv_zero_stride.onnx", cnn(conv_attrs=k33 + attr_ints("strides", [0, 1])))
    regress("onnx", "conv_group_zero.onnx", cnn(conv_attrs=k33 + attr_i("group", 0)))
    regress("onnx", "conv_one_stride.onnx", cnn(conv_attrs=k33 + attr_ints("strides", [1])))
    k22 = attr_ints("kernel_shape", [2, 2])
    regress("onnx", "pool_zero_stride.onnx", cnn(pool_attrs=k22 + attr_ints("strides", [0, 0])))
    regress("onnx", "pool_one_stride.onnx", cnn(pool_attrs=k22 + attr_ints("strides", [2])))
    regress("onnx", "pool_two_pads.onnx", cnn(pool_attrs=k22 + attr_ints("strides", [2, 2]) + attr_ints("pads", [0, 0])))
    unsq = model(node("Unsqueeze", ["x"], "u", attr_ints("axes", [9])) + pb_bytes(2, "u") + graph_input())
    regress("onnx", "unsqueeze_axis_9.onnx", unsq)
    unsq_neg = model(node("Unsqueeze", ["x"], "u", attr_ints("axes", [-40])) + pb_bytes(2, "u") + graph_input())
    regress("onnx", "unsqueeze_axis_minus_40.onnx", unsq_neg)
    gather = model(node("Gather", ["s", "x"], "y") + pb_bytes(5, packed(1, []) + pb_num(2, 1) + pb_bytes(8, "s") +
                                                               pb_bytes(9, struct.pack("<f", 1.0))) +
                   pb_bytes(2, "y") + graph_input())
    regress("onnx", "gather_0d.onnx", gather)


# --- .npy / .npz / .safetensors ---
def npy(descr, shape, data=b"", header=None):
    h = header if header is not None else "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, shape)
    while (10 + len(h) + 1) % 64:
        h += " "
    h += "\n"
    if len(h) < 65536:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + data
    return b"\x93NUMPY\x02\x00" + struct.pack("<I", len(h)) + h.encode() + data


def weights_cases():
    data = struct.pack("<6f", 1, 0, 3, 0, 5, 6)
    seed("weights_npy", "f4.npy", npy("<f4", "2, 3", data))
    seed("weights_npy", "f2.npy", npy("<f2", "3,", struct.pack("<3e", 1, -2, 0.5)))
    long_shape = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + " " * 40000 + "2,), }"
    regress("weights_npy", "header_40k_shape.npy", npy(None, None, b"", header=long_shape))
    long_descr = "{'descr': '<f" + "4" * 45000 + "', 'fortran_order': False, 'shape': (1,), }"
    regress("weights_npy", "header_45k_descr.npy", npy(None, None, b"", header=long_descr))
    regress("weights_npy", "huge_dimension.npy", npy("<f4", "99999999999999999999999999,"))
    regress("weights_npy", "dimension_2_63.npy", npy("<f4", "9223372036854775808, 2"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, member in (("fc.npy", npy("<f4", "2, 3", data)), ("conv.npy", npy("<f4", "6,", data))):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, member)
    seed("weights_npz", "two.npz", buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("big.npy", date_time=(1980, 1, 1, 0, 0, 0)),
                   npy(None, None, b"", header="{'descr': '<f4', 'fortran_order': False, 'shape': (" + "7" * 30000 + ",), }"))
    regress("weights_npz", "member_huge_shape.npz", buf.getvalue())
    hdr = '{"fc": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, "__metadata__": {"format": "pt"}}'
    seed("weights_safetensors", "fc.safetensors", struct.pack("<Q", len(hdr)) + hdr.encode() + data)
    hdr = '{"fc": {"dtype": "F32", "shape": [99999999999999999999, 3], "data_offsets": [0, 24]}}'
    regress("weights_safetensors", "huge_shape.safetensors", struct.pack("<Q", len(hdr)) + hdr.encode() + data)


def trace(body):
    return "format: accsim-trace\nversion: 1\nlayers:\n" + body + "\n"


def text_cases():
    for src in sorted(os.listdir(os.path.join(ROOT, "configs", "arch"))):
        shutil.copy(os.path.join(ROOT, "configs", "arch", src), os.path.join(FUZZ, "corpus", "arch_yaml", src))
    regress("arch_yaml", "duplicate_key.yaml", "name: t\nclock_mhz: 500\ncompute:\n  kind: systolic\nclock_mhz: 700\n")
    regress("arch_yaml", "complex_key.yaml", "{[a]: 1}\n")
    regress("arch_yaml", "rows_2_62.yaml", "name: t\ncompute:\n  kind: systolic\n  rows: 4611686018427387904\n")
    regress("arch_yaml", "clock_1e300.yaml", "name: t\nclock_mhz: 1e300\ncompute: {kind: systolic}\n")
    regress("arch_yaml", "latency_inf.yaml", "name: t\ndram: {latency_ns: .inf}\ncompute: {kind: systolic}\n")
    regress("arch_yaml", "long_table_name.yaml", "name: t\nenergy_table: " + "a" * 300 + ".yaml\n")
    regress("arch_yaml", "proc_self_mem.yaml", "name: t\nenergy_table: /proc/self/mem\n")
    for src in ("bert-base-encoder-layer.yaml", "lstm.yaml", "mobilenetv2.yaml"):
        shutil.copy(os.path.join(ROOT, "workloads", src), os.path.join(FUZZ, "corpus", "trace_yaml", src))
    shutil.copy(os.path.join(ROOT, "tests", "data", "small_net.yaml"), os.path.join(FUZZ, "corpus", "trace_yaml", "small_net.yaml"))
    regress("trace_yaml", "duplicate_m.yaml", trace("  - {op: gemm, m: 64, n: 64, k: 64, m: 1000}"))
    regress("trace_yaml", "nm_2_32.yaml", trace("  - {op: gemm, m: 4, n: 4, k: 4, weights: {compression: {pattern: nm, n: 4294967298, m: 4294967300}}}"))
    regress("trace_yaml", "repeat_1e17.yaml", trace("  - {op: gemm, m: 1, n: 1, k: 1, repeat: 100000000000000000}"))
    regress("trace_yaml", "lstm_hidden_3e18.yaml", trace("  - {op: lstm, input_size: 4, hidden_size: 3000000000000000000}"))
    regress("trace_yaml", "invalid_utf8_name.yaml", trace('  - {name: "\xff\xfe", op: gemm, m: 4, n: 4, k: 4}').encode("latin-1"))
    regress("trace_yaml", "complex_key.yaml", trace("  - {[op]: gemm}"))
    regress("trace_yaml", "long_mask_file.yaml", trace("  - {op: gemm, m: 4, n: 4, k: 4, weights: {compression: {pattern: unstructured, sparsity: 0.5, mask_file: " + "m" * 300 + ".bin}}}"))
    regress("trace_yaml", "conv_huge_pad.yaml", trace("  - {op: conv2d, in_channels: 3, in_h: 8, in_w: 8, out_channels: 4, padding: 9223372036854775807}"))
    shutil.copy(os.path.join(ROOT, "tests", "data", "scalesim_32x32_os.cfg"), os.path.join(FUZZ, "corpus", "scalesim_cfg", "32x32_os.cfg"))
    regress("scalesim_cfg", "rows_1e300.cfg", "[architecture_presets]\nArrayHeight: 1e300\nArrayWidth: 8\nIfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\nDataflow: os\n")
    for src in ("gemm_mnk.csv", "resnet50_conv1.csv"):
        shutil.copy(os.path.join(ROOT, "tests", "data", src), os.path.join(FUZZ, "corpus", "scalesim_csv", src))
    conv_hdr = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
    regress("scalesim_csv", "stride_1e12.csv", conv_hdr + "c1,8,8,3,3,4,4,1000000000000,\n")
    regress("scalesim_csv", "stride_2_31.csv", conv_hdr + "c1,8,8,3,3,4,4,2147483647,\n")
    regress("scalesim_csv", "huge_m.csv", "Layer, M, N, K,\ng,99999999999999999999,4,4,\n")
    for i, spec in enumerate(["gemm:m=64,n=64,k=64", "gemm:m=8,n=16,k=32,batch=2,dtype=fp16,prune=nm:2:4",
                              "gemm:m=8,n=8,k=8,wbits=4,abits=8,seed=3,prune=unstructured:0.5\nprune=bank:4:0.5\nwbits=2",
                              "gemm:m=8,n=8,k=8,prune=block:2x2:0.5\ndtype=int8\nacc=int32\nseed=7"]):
        seed("inline_spec", "spec%d.txt" % i, spec)
    regress("inline_spec", "wbits_2_32.txt", "gemm:m=8,n=8,k=8,wbits=4294967297")
    regress("inline_spec", "nm_2_32.txt", "gemm:m=8,n=8,k=8,prune=nm:4294967298:4294967300")
    regress("inline_spec", "seed_2_64.txt", "gemm:m=8,n=8,k=8\nseed=18446744073709551616")
    regress("inline_spec", "lstm_like_overflow.txt", "gemm:m=9223372036854775807,n=9223372036854775807,k=2")
    for i, s in enumerate(["compute.rows=16\ncompute.cols=8", "dram.bandwidth_gb_s=25.6\ndram.latency_ns=50",
                           "compute.dataflow=ws\nclock_mhz=700", "compute.buffers.ifmap.size_kb=32"]):
        seed("set_override", "set%d.txt" % i, s)
    regress("set_override", "latency_inf.txt", "dram.latency_ns=inf")
    regress("set_override", "latency_1e300.txt", "dram.latency_ns=1e300")
    regress("set_override", "clock_1e300.txt", "clock_mhz=1e300")
    regress("set_override", "rows_2_62.txt", "compute.rows=4611686018427387904")
    regress("set_override", "complex_key.txt", "compute={[a]: 1}")
    regress("set_override", "proc_self_mem.txt", "energy_table=/proc/self/mem")
    regress("set_override", "long_table_name.txt", "energy_table=" + "a" * 300 + ".yaml")
    regress("set_override", "duplicate_in_value.txt", "compute={rows: 4, rows: 8}")
    for i, s in enumerate(["compute.rows=4..32*2\ncompute.dataflow=os,ws", "workload.prune=nm:2:4,unstructured:0.5\nshard 1/4",
                           "compute.cols=8..64+8"]):
        seed("sweep_spec", "grid%d.txt" % i, s)
    regress("sweep_spec", "range_int64_max.txt", "compute.rows=9223372036854775806..9223372036854775807")
    regress("sweep_spec", "range_huge_bound.txt", "compute.rows=1..99999999999999999999")
    regress("sweep_spec", "key_50k.txt", "a" * 50000 + "=1")
    regress("sweep_spec", "value_50k.txt", "compute.rows=" + "1" * 50000 + "..2")
    regress("sweep_spec", "geometric_overflow.txt", "compute.rows=1..9223372036854775807*3")
    # Found by the long fuzz run (docs/reliability.md): a range of 10^12 values built a million
    # strings before refusing, a 10 s timeout under ASan.
    regress("sweep_spec", "range_1e12_values.txt", "compute.rows=1..999999999999")


def accsim_cases(accsim):
    with tempfile.TemporaryDirectory() as t:
        out = os.path.join(t, "s.yaml")
        subprocess.run([accsim, "trace", "--network", "small-cnn", "--prune", "nm:2:4", "--quant", "int8",
                        "--store-values", "--out", out], check=True, capture_output=True)
        shutil.copy(os.path.join(t, "s.weights.bin"), os.path.join(FUZZ, "corpus", "side_file", "small_cnn.weights.bin"))
        sw = os.path.join(t, "sw")
        subprocess.run([accsim, "sweep", "--arch", os.path.join(ROOT, "configs/arch/systolic-32x32.yaml"), "--workload",
                        "gemm:m=8,n=8,k=8", "--grid", "compute.rows=4,8", "--quiet", "--out", sw], check=True, capture_output=True)
        shutil.copy(os.path.join(sw, "results.jsonl"), os.path.join(FUZZ, "corpus", "result_rows", "two_points.jsonl"))


def main():
    for kind in ("corpus", "regression"):
        for target in ("arch_yaml", "trace_yaml", "scalesim_cfg", "scalesim_csv", "inline_spec", "set_override",
                       "onnx", "weights_npy", "weights_npz", "weights_safetensors", "sweep_spec", "side_file", "result_rows"):
            os.makedirs(os.path.join(FUZZ, kind, target), exist_ok=True)
    onnx_cases()
    weights_cases()
    text_cases()
    regress("result_rows", "point_is_string.jsonl", '{"point": "7", "point_id": 12, "status": "ok"}\n')
    regress("result_rows", "no_params.jsonl", '{"point": 0, "point_id": "00", "status": "ok"}\n')
    regress("side_file", "empty.weights.bin", b"")
    if os.environ.get("ACCSIM"):
        accsim_cases(os.environ["ACCSIM"])


if __name__ == "__main__":
    sys.exit(main())
