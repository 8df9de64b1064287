#!/usr/bin/env python3
"""Time dense and 2:4 sparse GEMMs on a GPU with PyTorch and write rows in the `accsim validate`
suite format (validation/<suite>/cases.csv: id,reference,unit,metric,command,baseline_command,
tolerance,source).

usage:
  scripts/gpu/measure_gemm.py --board "A100 80GB PCIe" --arch configs/arch/a100-pcie.yaml \
      [--shapes 4096x4096x4096,768x3072x768 ...] [--dtypes fp16,bf16,int8] [--repeats 50] \
      [--warmup 10] [--out rows.csv] [--dry-run]

Shapes are MxNxK with accsim's meaning: M activation rows (tokens), N weight rows (output
features), K the reduction; the timed op is y = x @ W^T with x (M x K) and W (N x K), W pruned 2:4.
Dense: cuBLAS through torch.matmul (torch._int_mm for int8). Sparse:
torch.sparse.to_sparse_semi_structured(W) (cuSPARSELt where PyTorch was built with it, else
CUTLASS) when the installed PyTorch has it; otherwise the sparse rows are skipped with a note.
Per shape and dtype three rows: dense latency, sparse latency, speedup (dense / sparse).
Times are the median of CUDA-event timings over --repeats runs after --warmup runs.

--dry-run needs no GPU and no PyTorch: it writes the same rows with the reference column left as
"DRY-RUN" (so nobody mistakes them for measurements); use it to check arguments and row format.
"""
import argparse
import csv
import datetime
import statistics
import sys

HEADER = ["id", "reference", "unit", "metric", "command", "baseline_command", "tolerance", "source"]
DTYPES = ("fp16", "bf16", "int8")


def parse_shape(text):
    parts = text.lower().split("x")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"shape '{text}' is not MxNxK")
    try:
        m, n, k = (int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"shape '{text}' has a non-integer dimension") from None
    if min(m, n, k) <= 0 or max(m, n, k) > 1 << 20:
        raise argparse.ArgumentTypeError(f"shape '{text}': dimensions must be in 1..1048576")
    if k % 16 or n % 16 or m % 16:
        raise argparse.ArgumentTypeError(f"shape '{text}': 2:4 kernels need M, N, K multiples of 16")
    return (m, n, k)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--board", required=True, help="the GPU as you would cite it, e.g. 'H100 PCIe 80GB'")
    ap.add_argument("--arch", required=True, help="the accsim config that models this board")
    ap.add_argument("--shapes", default="1024x1024x1024,4096x4096x4096,8192x8192x8192",
                    help="comma-separated MxNxK list")
    ap.add_argument("--dtypes", default="fp16", help=f"comma-separated, from {','.join(DTYPES)}")
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--tolerance", type=float, default=0.15, help="per-row tolerance written into the rows")
    ap.add_argument("--out", default="-", help="CSV file (default: stdout)")
    ap.add_argument("--dry-run", action="store_true", help="no GPU: write the rows with reference DRY-RUN")
    a = ap.parse_args(argv)
    try:
        a.shapes = [parse_shape(s) for s in a.shapes.split(",") if s]
    except argparse.ArgumentTypeError as e:
        ap.error(str(e))
    a.dtypes = [d for d in a.dtypes.split(",") if d]
    for d in a.dtypes:
        if d not in DTYPES:
            ap.error(f"unknown dtype '{d}' (known: {', '.join(DTYPES)})")
    if not a.shapes or not a.dtypes:
        ap.error("give at least one shape and one dtype")
    if a.repeats < 1 or a.warmup < 0:
        ap.error("--repeats must be >= 1 and --warmup >= 0")
    if not (0 < a.tolerance < 10):
        ap.error("--tolerance must be in (0, 10)")
    return a


def workload(m, n, k, dtype, sparse):
    # The values measure() fills the operands with (randint(-8, 8) is -8..7): the board's
    # power-limited clock depends on them.
    data = "int:-8:7" if dtype == "int8" else "randn"
    return f"gemm:m={m},n={n},k={k},dtype={dtype},data={data}" + (",prune=nm:2:4" if sparse else "")


def rows_for(args, m, n, k, dtype, dense_s, sparse_s, source):
    """The three suite rows of one shape; times in seconds (None: not measured)."""
    tag = f"{args.board.lower().replace(' ', '_')}_{dtype}_{m}x{n}x{k}"
    dense_cmd = f"--arch {args.arch} --workload {workload(m, n, k, dtype, False)}"
    sparse_cmd = f"--arch {args.arch} --workload {workload(m, n, k, dtype, True)}"

    def ref(v):
        return "DRY-RUN" if args.dry_run else f"{v:.6g}"

    out = [[f"{tag}_dense_latency", ref(dense_s), "s", "total.latency_s", dense_cmd, "", args.tolerance, source]]
    if sparse_s is not None or args.dry_run:
        out.append([f"{tag}_sparse_latency", ref(sparse_s), "s", "total.latency_s", sparse_cmd, "", args.tolerance, source])
        speed = None if args.dry_run else dense_s / sparse_s
        out.append([f"{tag}_speedup", ref(speed), "x", "total.latency_s", sparse_cmd, dense_cmd, args.tolerance, source])
    return out


def time_cuda(torch, fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)  # ms -> s
    return statistics.median(times)


def measure(torch, m, n, k, dtype, args):
    """(dense seconds, sparse seconds or None, note)."""
    dev = "cuda"
    if dtype == "int8":
        x = torch.randint(-8, 8, (m, k), dtype=torch.int8, device=dev)
        w = torch.randint(-8, 8, (n, k), dtype=torch.int8, device=dev)
    else:
        t = torch.float16 if dtype == "fp16" else torch.bfloat16
        x = torch.randn(m, k, dtype=t, device=dev)
        w = torch.randn(n, k, dtype=t, device=dev)
    mask = torch.tensor([0, 0, 1, 1], dtype=torch.bool, device=dev).tile((n, k // 4))
    w = w * mask
    wt = w.t()
    dense = (lambda: torch._int_mm(x, wt)) if dtype == "int8" else (lambda: torch.matmul(x, wt))
    dense_s = time_cuda(torch, dense, args.warmup, args.repeats)
    to_sparse = getattr(getattr(torch, "sparse", None), "to_sparse_semi_structured", None)
    if to_sparse is None:
        return dense_s, None, "torch.sparse.to_sparse_semi_structured missing: sparse rows skipped"
    try:
        ws = to_sparse(w)
        sparse_s = time_cuda(torch, lambda: torch.nn.functional.linear(x, ws), args.warmup, args.repeats)
    except (RuntimeError, NotImplementedError) as e:
        return dense_s, None, f"semi-structured {dtype} not supported here ({e}): sparse rows skipped"
    return dense_s, sparse_s, ""


def main(argv):
    args = parse_args(argv)
    today = datetime.date.today().isoformat()
    rows = []
    if args.dry_run:
        for (m, n, k) in args.shapes:
            for d in args.dtypes:
                rows += rows_for(args, m, n, k, d, None, None, f"DRY-RUN of scripts/gpu/measure_gemm.py for {args.board}")
    else:
        try:
            import torch
        except ImportError:
            print("measure_gemm.py: error: PyTorch is not installed (use --dry-run to check the rows)", file=sys.stderr)
            return 2
        if not torch.cuda.is_available():
            print("measure_gemm.py: error: no CUDA GPU visible to PyTorch (use --dry-run)", file=sys.stderr)
            return 2
        name = torch.cuda.get_device_name(0)
        source = (f"measured with scripts/gpu/measure_gemm.py on {args.board} ({name}), torch {torch.__version__}, "
                  f"CUDA {torch.version.cuda}, median of {args.repeats} runs, {today}")
        for (m, n, k) in args.shapes:
            for d in args.dtypes:
                dense_s, sparse_s, note = measure(torch, m, n, k, d, args)
                if note:
                    print(f"measure_gemm.py: {m}x{n}x{k} {d}: {note}", file=sys.stderr)
                rows += rows_for(args, m, n, k, d, dense_s, sparse_s, source)
    def write(f):
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)

    if args.out == "-":
        write(sys.stdout)
    else:
        with open(args.out, "w", newline="") as f:
            write(f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
